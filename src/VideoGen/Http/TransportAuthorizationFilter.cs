using Microsoft.Extensions.Http;

namespace VideoGen.Http;

// CUSTOM: the IHttpClientFactory half of transport authorization (TransportAuthorizationHandler, in VideoGen.Clients,
// is the other): it needs Microsoft.Extensions.Http, which the typed clients' package does not depend on.

/// <summary>
/// Wraps the primary handler of VideoGen's named clients with <see cref="TransportAuthorizationHandler"/>,
/// after every other configuration ran, so a primary handler the caller replaced is wrapped too.
/// </summary>
internal sealed class TransportAuthorizationFilter : IHttpMessageHandlerBuilderFilter
{
    /// <summary>The prefix of VideoGen's client names in the factory.</summary>
    public const string ClientNamePrefix = "VideoGen.";

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            if (builder.Name?.StartsWith(ClientNamePrefix, StringComparison.Ordinal) == true)
            {
                builder.PrimaryHandler = new TransportAuthorizationHandler(builder.PrimaryHandler);
            }
        };
    }
}
