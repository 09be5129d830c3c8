using VideoGen.Catalog;
using VideoGen.Validation;

namespace VideoGen;

/// <summary>
/// What middleware knows of a submission before passing it on: the vendor's display name and the model sent (as the
/// adapter resolves it: the catalog's default model when none is named), and whether the request passes the
/// adapter's validation and mapping (<see cref="IVideoRequestCheck"/>). A request that does not is refused by the
/// adapter before anything is sent, so logging and telemetry leave it out, as the adapter did before they moved out of it.
/// </summary>
internal readonly record struct SubmitTarget(string Vendor, string Model, bool IsSent)
{
    public static SubmitTarget Of(IVideoGenerator generator, VideoGenerationRequest request, VideoGenerationOptions? options)
    {
        var vendor = generator.GetService(typeof(VendorInfo)) as VendorInfo;
        var requested = request.Model ?? vendor?.DefaultModel;
        var model = requested is null ? null : vendor?.FindModel(requested)?.Id ?? requested;
        // One check per submission: the result is carried down to the middleware and the adapter below (CheckedSubmission).
        var sent = CheckedSubmission.FailuresBelow(generator, request, options) is not { Count: > 0 };
        return new SubmitTarget(vendor?.DisplayName ?? "the vendor", model ?? "(default)", sent);
    }
}
