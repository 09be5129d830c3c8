namespace VideoGen.Pricing;

/// <summary>
/// Prices a request before it is sent, asking the vendor where it has a price endpoint (Elumenta's and
/// NeuralBox's Calculate Price, <c>POST /api/v2/models/{slug}/calculate-price</c>) and falling back to the
/// catalog estimate (<see cref="PriceCalculator.Estimate"/>) elsewhere. Reach it through
/// <see cref="IVideoGenerator.GetService"/>; every vendor adapter provides one.
/// </summary>
public interface IVideoPriceQuoter
{
    /// <summary>What <paramref name="request"/> would cost, in the vendor's unit. Nothing is generated and nothing is charged.</summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The per-call options.</param>
    /// <param name="cancellationToken">A token to cancel the request.</param>
    /// <returns>
    /// The vendor's exact figure (min = max = its <c>token_cost</c>) where it quotes one; otherwise, or when the
    /// quote fails, the catalog estimate, whose <see cref="PriceEstimate.Reason"/> says so.
    /// </returns>
    /// <exception cref="VideoGenValidationException">The request breaks the vendor's rules; nothing was sent.</exception>
    Task<PriceEstimate> QuoteAsync(VideoGenerationRequest request, VideoGenerationOptions? options = null, CancellationToken cancellationToken = default);
}
