using System.Globalization;
using Microsoft.Extensions.Logging;
using VideoGen.Catalog;
using VideoGen.Http;
using VideoGen.Vendors;

namespace VideoGen.Elumenta;

/// <summary>
/// <see cref="IVideoGenerator"/> over the Elumenta contract (<c>specs/elumenta.yaml</c>), for Elumenta
/// and NeuralBox alike: the two differ only in host, key and price unit, which the <see cref="VendorInfo"/> carries.
/// </summary>
internal sealed class ElumentaVideoGenerator : VendorVideoGenerator<IElumentaClient, GenerateRequest>
{
    // Resolution is checked against the model below rather than refused outright.
    private const MappedFields Supported = MappedFields.StartImage | MappedFields.NegativePrompt | MappedFields.Resolution;

    public ElumentaVideoGenerator(IElumentaClient client, VendorInfo vendor, ILoggerFactory? loggerFactory = null)
        : base(client, vendor, loggerFactory)
    {
    }

    /// <summary>The vendors whose contract is Elumenta's.</summary>
    public static IReadOnlyList<string> VendorsOfThisContract { get; } = [VendorIds.Elumenta, VendorIds.NeuralBox];

    /// <summary>Elumenta's words: <c>pending</c>, <c>completed</c>, <c>failed</c>; anything else is <see cref="VideoJobStatus.Unknown"/>.</summary>
    public static VideoJobStatus ToJobStatus(string? status) => status?.ToLowerInvariant() switch
    {
        // Elumenta has a single unfinished state; "pending" covers waiting and running alike.
        "pending" => VideoJobStatus.Queued,
        "completed" => VideoJobStatus.Succeeded,
        "failed" => VideoJobStatus.Failed,
        _ => VideoJobStatus.Unknown,
    };

    /// <summary>Picks the vendor: the one named, else the one the client was configured for, else Elumenta.</summary>
    public static VendorInfo ResolveVendor(IElumentaClient client, string? vendorId)
    {
        if (vendorId is not null)
        {
            if (!VendorsOfThisContract.Contains(vendorId, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"Vendor '{vendorId}' does not use the Elumenta contract; use {string.Join(" or ", VendorsOfThisContract)}.", nameof(vendorId));
            }

            return VideoModelCatalog.Default.GetVendor(vendorId);
        }

        var configured = (client as VendorClientBase)?.ClientConfiguration.Vendor;
        var neuralBox = VideoModelCatalog.Default.GetVendor(VendorIds.NeuralBox);
        return string.Equals(configured, neuralBox.Id, StringComparison.OrdinalIgnoreCase)
            || string.Equals(configured, neuralBox.DisplayName, StringComparison.OrdinalIgnoreCase)
            ? neuralBox
            : VideoModelCatalog.Default.GetVendor(VendorIds.Elumenta);
    }

    /// <inheritdoc />
    protected override GenerateRequest CreateVendorRequest(VideoGenerationRequest request, VideoGenerationOptions? options, string model, List<ValidationFailure> failures)
    {
        RefuseUnsupported(request, options, Supported, failures);

        // CUSTOM: Elumenta has no resolution field: the model fixes it (mj-video-480p, mj-video-720p).
        // A resolution the model produces anyway is accepted; any other cannot be honoured.
        if (request.Resolution is { } resolution
            && Vendor.FindModel(model)?.Resolutions.Contains(resolution, StringComparer.OrdinalIgnoreCase) != true)
        {
            failures.Add(new ValidationFailure(
                nameof(request.Resolution),
                resolution,
                $"{VendorName} has no resolution field; the resolution follows the model ({string.Join(", ", Vendor.Models.Where(m => m.Resolutions.Count > 0).Select(m => $"{m.Id}: {string.Join("/", m.Resolutions)}"))})"));
        }

        var vendorRequest = new GenerateRequest
        {
            // The contract's model is a free string: a slug the catalog does not know is sent as given (with a warning).
            Model = model,
            Prompt = request.Prompt,
            ImageUrl = request.StartImage,
            NegativePrompt = request.NegativePrompt,
        };

        // Left unset, duration and aspect_ratio keep the contract's defaults (5 s, 16:9).
        if (request.DurationSeconds is { } seconds)
        {
            if (Enum.IsDefined((VideoDuration)seconds))
            {
                vendorRequest.Duration = (VideoDuration)seconds;
            }
            else
            {
                failures.Add(new ValidationFailure(
                    nameof(request.DurationSeconds),
                    seconds.ToString(CultureInfo.InvariantCulture),
                    $"{VendorName} accepts {string.Join(" or ", Enum.GetValues<VideoDuration>().Select(d => ((int)d).ToString(CultureInfo.InvariantCulture)))} seconds"));
            }
        }

        if (ParseWire<AspectRatio>(request.AspectRatio, nameof(request.AspectRatio), failures) is { } aspectRatio)
        {
            vendorRequest.AspectRatio = aspectRatio;
        }

        return vendorRequest;
    }

    /// <inheritdoc />
    protected override async Task<VideoJob> SendAsync(GenerateRequest vendorRequest, string model, CancellationToken cancellationToken)
    {
        var generation = await Client.CreateGenerationAsync(vendorRequest, cancellationToken).ConfigureAwait(false);
        return ToJob(generation);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Calculate Price (<c>POST /api/v2/models/{slug}/calculate-price</c>, https://docs.elumenta.ru/en/api-reference/models/calculate-price.md):
    /// the vendor's <c>token_cost</c> for these parameters is the exact figure.
    /// </remarks>
    protected override async Task<Pricing.PriceEstimate?> QuoteVendorAsync(GenerateRequest vendorRequest, string model, CancellationToken cancellationToken)
    {
        // The page nests the generate parameters in `params` beside `count` (calculate-price.md § Body Parameters).
        var parameters = new CalculatePriceParams
        {
            Duration = vendorRequest.Duration is { } d ? (int)d : null,
            AspectRatio = vendorRequest.AspectRatio is { } r ? Validation.ValidationText.WireName(r) : null,
            ImageUrl = vendorRequest.ImageUrl,
        };
        var body = new CalculatePriceRequest { Params = parameters, Count = 1 };
        var quote = await Client.CalculatePriceAsync(model, body, cancellationToken).ConfigureAwait(false);

        // A quote is trusted only when it is a price: not negative, and inside the range the same answer gives for the
        // model. Otherwise the budget would rest on a figure the vendor's own answer contradicts; the catalog's worst case holds.
        if (quote.TokenCost < 0
            || (quote.MinTokenCost is { } low && quote.TokenCost < low)
            || (quote.MaxTokenCost is { } high && quote.TokenCost > high))
        {
            throw new VideoGenException(
                $"{VendorName} quoted {quote.TokenCost} {Vendor.PriceUnit}, which is not a price for these parameters" +
                (quote.MinTokenCost is { } a && quote.MaxTokenCost is { } b ? $" (its range for the model: {a}–{b})" : " (negative)"),
                VendorName);
        }
        var range = quote.MinTokenCost is { } min && quote.MaxTokenCost is { } max ? $" (the model's range: {min}–{max})" : string.Empty;
        var type = quote.PricingType is { Length: > 0 } t ? $", pricing type {VendorText(t)}" : string.Empty;
        return new Pricing.PriceEstimate(Vendor.Id, model, quote.TokenCost, quote.TokenCost, Vendor.PriceUnit,
            $"Exact: {VendorName}'s Calculate Price quoted {quote.TokenCost} {Vendor.PriceUnit} for these parameters{range}{type}.")
        {
            DurationSeconds = parameters.Duration ?? 5,
        };
    }

    /// <inheritdoc />
    protected override Func<CancellationToken, Task<VideoJob>> ReadJob(string jobId)
    {
        if (!long.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw InvalidJobId(jobId, "positive integers (for example 18500)");
        }

        return async cancellationToken => ToJob(await Client.GetGenerationAsync(id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Maps a generation onto the neutral job.</summary>
    public VideoJob ToJob(Generation generation)
    {
        ArgumentNullException.ThrowIfNull(generation);
        return new VideoJob
        {
            Id = generation.Id.ToString(CultureInfo.InvariantCulture),
            Vendor = VendorName,
            VendorId = Vendor.Id,
            Model = generation.ModelSlug,
            Status = ToJobStatus(generation.Status),
            VendorStatus = VendorText(generation.Status),
            ResultUri = generation.ResultUrl,
            ResultUris = generation.ResultUrl is { } url ? [url] : [],
            Cost = CostFrom(generation.TokensSpent, Vendor.PriceUnit),
            Error = VendorText(generation.Error),
            CreatedAt = generation.CreatedAt,
            CompletedAt = generation.CompletedAt,
            RawRepresentation = generation,
        };
    }
}
