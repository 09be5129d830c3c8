using VideoGen.Catalog;

namespace VideoGen;

/// <summary>Adds <see cref="BudgetVideoGenerator"/> to a <see cref="VideoGeneratorBuilder"/> pipeline.</summary>
public static class VideoGeneratorBuilderBudgetExtensions
{
    /// <summary>
    /// Adds a budget guard: requests whose worst-case cost does not fit the per-call, per-job or total
    /// budget, or whose price is unknown while a budget applies, are refused before they are sent.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The limits; <see langword="null"/> for none (per-call budgets are still enforced). Validated and copied now.</param>
    /// <param name="vendor">
    /// The vendor's catalog entry, where the prices come from. When <see langword="null"/>, the generator
    /// below is asked for it with <c>GetService(typeof(VendorInfo))</c> when the pipeline is built.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException">A limit is negative; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">
    /// Thrown by <see cref="VideoGeneratorBuilder.Build"/> when no <paramref name="vendor"/> was given and the
    /// generator below does not provide a <see cref="VendorInfo"/>.
    /// </exception>
    public static VideoGeneratorBuilder UseBudget(this VideoGeneratorBuilder builder, VideoBudgetOptions? options = null, VendorInfo? vendor = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options?.EnsureValid(nameof(options));
        var copy = new VideoBudgetOptions { MaxCostPerJob = options?.MaxCostPerJob, MaxTotalCost = options?.MaxTotalCost };
        return builder.Use(inner =>
        {
            var resolved = vendor ?? inner.GetService<VendorInfo>() ?? throw new InvalidOperationException(
                "UseBudget needs the vendor's catalog entry to price requests: pass it " +
                "(for example UseBudget(options, VideoModelCatalog.Default.GetVendor(\"elumenta\"))), " +
                "or wrap a generator whose GetService(typeof(VendorInfo)) returns it.");
            return new BudgetVideoGenerator(inner, resolved, copy);
        });
    }

    /// <summary>Adds a budget guard configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the limits.</param>
    /// <param name="vendor">The vendor's catalog entry; see <see cref="UseBudget(VideoGeneratorBuilder, VideoBudgetOptions?, VendorInfo?)"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException">A limit is negative; the message lists every problem.</exception>
    public static VideoGeneratorBuilder UseBudget(this VideoGeneratorBuilder builder, Action<VideoBudgetOptions> configure, VendorInfo? vendor = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new VideoBudgetOptions();
        configure(options);
        return builder.UseBudget(options, vendor);
    }
}
