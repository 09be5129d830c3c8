namespace VideoGen;

/// <summary>Per-call options of <see cref="IVideoGenerator.SubmitAsync"/>.</summary>
public sealed class VideoGenerationOptions
{
    /// <summary>The most this call may cost, in the vendor's unit. The worst-case estimate must fit or nothing is sent.</summary>
    /// <value>No per-call budget.</value>
    public decimal? MaxCost { get; set; }

    /// <summary>A https URL the vendor calls with progress and completion events, where it supports webhooks (the gateway).</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Vendor- or model-specific parameters passed through as they are (the gateway's per-model <c>parameters</c> object).</summary>
    public IDictionary<string, object?>? AdditionalProperties { get; set; }
}
