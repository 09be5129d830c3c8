using VideoGen.Catalog;

namespace VideoGen.Pricing;

/// <summary>Estimates a request's cost before submit from the catalog's documented prices.</summary>
public static class PriceCalculator
{
    /// <summary>Estimates what <paramref name="request"/> will cost at <paramref name="vendor"/>.</summary>
    /// <param name="vendor">The vendor.</param>
    /// <param name="request">The request.</param>
    /// <returns>The estimate: exact, a range, or unknown, with the reason.</returns>
    public static PriceEstimate Estimate(VendorInfo vendor, VideoGenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        ArgumentNullException.ThrowIfNull(request);
        var modelId = request.Model ?? vendor.DefaultModel;
        var model = vendor.FindModel(modelId);
        if (model?.Price is not { } price)
        {
            return new PriceEstimate(vendor.Id, modelId, null, null, vendor.PriceUnit, model?.PriceNote ?? $"{modelId} is not in the {vendor.DisplayName} catalog");
        }

        return new PriceEstimate(vendor.Id, model.Id, price.Min, price.Max, price.Unit, price.Note is null ? price.Source : $"{price.Note} ({price.Source})");
    }
}
