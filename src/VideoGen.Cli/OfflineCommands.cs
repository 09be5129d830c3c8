using System.CommandLine;
using VideoGen.Pricing;
using VideoGen.Validation;

namespace VideoGen.Cli;

/// <summary>videogen validate ... and videogen price ...: the generate options, and nothing is sent.</summary>
internal static class OfflineCommands
{
    public static Command Validate(CliContext context)
    {
        var options = new RequestOptions();
        var command = new Command("validate", "Check a request against the vendor's and model's rules. Nothing is sent.");
        options.AddTo(command);
        command.SetAction(result =>
        {
            var o = context.CreateOutput(result.GetValue(options.Json));
            try
            {
                var (vendor, request, warnings) = RequestCheck.Read(context, options, result);
                o.Result($"[green]valid[/] for {vendor.DisplayName} {request.Model ?? vendor.DefaultModel}; nothing was sent.");
                o.Document(new { ok = true, vendor = vendor.Id, model = request.Model ?? vendor.DefaultModel, warnings = warnings.Select(w => w.ToString()) });
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is VideoGenValidationException or CliUsageException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    public static Command Price(CliContext context)
    {
        var options = new RequestOptions();
        var command = new Command(
            "price",
            "What a request would cost, in the vendor's unit. Nothing is generated. With the vendor's API key set (or --base-url), a vendor that quotes prices (Elumenta, NeuralBox: Calculate Price) is asked for the exact figure; otherwise the catalog estimate.");
        options.AddTo(command);
        var timeout = CliOptions.Duration(new Option<TimeSpan?>("--timeout")
        {
            Description = $"How long the vendor's price quote may take, when one is asked for (past it: exit code 5). Seconds (90), or 90s, 2m, 1.5m, 1h. Default: {DefaultPriceTimeoutSeconds}.",
        });
        command.Options.Add(timeout);
        command.SetAction(async (result, ct) =>
        {
            var o = context.CreateOutput(result.GetValue(options.Json));

            // A quote is an HTTP call: bounded like every other command's, whatever the server does.
            using var deadline = new CommandDeadline(result.GetValue(timeout) ?? TimeSpan.FromSeconds(DefaultPriceTimeoutSeconds), ct);
            try
            {
                var (vendor, request, _) = RequestCheck.Read(context, options, result);
                var estimate = await QuoteAsync(context, vendor, request, result.GetValue(options.BaseUrl), deadline.Token).ConfigureAwait(false);
                o.Result($"{Spectre.Console.Markup.Escape(vendor.DisplayName)} {Spectre.Console.Markup.Escape(estimate.ModelId)}: [bold]{Spectre.Console.Markup.Escape(estimate.ToString())}[/]");
                o.Document(PriceDocument(estimate));
                return ExitCodes.Success;
            }
            catch (Exception e) when (deadline.Expired && e is OperationCanceledException or VideoGenException or HttpRequestException)
            {
                return o.Fail(deadline.TimedOut("The price quote"));
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or VideoGenException or HttpRequestException)
            {
                return o.Interrupted("no price was read; nothing is generated or charged by a quote.");
            }
            catch (Exception e) when (e is VideoGenException or CliUsageException or HttpRequestException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    /// <summary>How long <c>price</c> waits for a vendor's quote by default, in seconds.</summary>
    public const int DefaultPriceTimeoutSeconds = 60;

    /// <summary>
    /// The vendor's quote when a key (or --base-url) is set, else the catalog estimate. Offline stays offline: without
    /// a key nothing is sent, not even to the embedded sandbox.
    /// </summary>
    private static async Task<PriceEstimate> QuoteAsync(CliContext context, Catalog.VendorInfo vendor, VideoGenerationRequest request, string? baseUrl, CancellationToken cancellationToken)
    {
        if (!vendor.Has(Catalog.VendorFeatures.PriceQuote) || (context.ApiKey(vendor) is null && baseUrl is null))
        {
            return PriceCalculator.Estimate(vendor, request);
        }

        await using var session = await VendorSession.OpenAsync(context, vendor, baseUrl, Output.Silent, allowEmbeddedSandbox: false, cancellationToken).ConfigureAwait(false);
        return session.Generator.GetService(typeof(IVideoPriceQuoter)) is IVideoPriceQuoter quoter
            ? await quoter.QuoteAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false)
            : PriceCalculator.Estimate(vendor, request);
    }

    public static object PriceDocument(PriceEstimate estimate) => new
    {
        vendor = estimate.VendorId,
        model = estimate.ModelId,
        unit = estimate.Unit,
        min = estimate.Min,
        max = estimate.Max,
        exact = estimate.IsExact,
        approximate = estimate.IsApproximate,
        known = estimate.IsKnown,
        reason = estimate.Reason,
    };
}
