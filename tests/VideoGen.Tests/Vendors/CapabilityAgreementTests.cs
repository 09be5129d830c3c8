using System.Net;
using VideoGen.AimlApi;
using VideoGen.Catalog;
using VideoGen.Http;
using VideoGen.Validation;
using VideoGen.Vendors;

namespace VideoGen.Tests.Vendors;

/// <summary>
/// What a vendor accepts is stated once, in its catalog entry, and the adapter's mapping must agree with it: for every
/// built-in vendor, every catalog model and every optional field, validation accepting the field means the adapter
/// sends it, and validation refusing it means nothing is sent and the refusal names the field (issue 13: Oxen's
/// adapter mapped a start image that validation refused for every Oxen model).
/// </summary>
public sealed class CapabilityAgreementTests
{
    private const string Image = "https://example.com/agreement-start.png";
    private const string EndImage = "https://example.com/agreement-end.png";
    private const string Negative = "agreement-negative-words";

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var vendor in VendorDescriptors.All)
        {
            foreach (var model in vendor.Capabilities.Models)
            {
                foreach (var field in new[] { nameof(VideoGenerationRequest.StartImage), nameof(VideoGenerationRequest.EndImage), nameof(VideoGenerationRequest.NegativePrompt) })
                {
                    data.Add(vendor.Id, model.Id, field);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SubmitAsync_OptionalField_IsSentExactlyWhenValidationAcceptsIt(string vendorId, string modelId, string field)
    {
        var descriptor = VendorDescriptors.Get(vendorId);
        var model = descriptor.Capabilities.FindModel(modelId)!;
        var request = new VideoGenerationRequest("A lighthouse at dawn")
        {
            Model = model.Id,
            AspectRatio = model.AspectRatios.FirstOrDefault(),

            // A model that cannot start from text alone gets its start image in every case.
            StartImage = field == nameof(VideoGenerationRequest.StartImage) || !model.Supports(VideoModes.TextToVideo) ? new Uri(Image) : null,
            EndImage = field == nameof(VideoGenerationRequest.EndImage) ? new Uri(EndImage) : null,
            NegativePrompt = field == nameof(VideoGenerationRequest.NegativePrompt) ? Negative : null,
        };
        var failures = VideoRequestValidation.Validate(descriptor.Capabilities, request);
        var accepted = failures.All(f => f.Field != field);
        var handler = new StubHttpHandler()
            .On(HttpMethod.Post, ".*", _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable))
            .On(HttpMethod.Get, ".*", _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var http = new HttpClient(handler);
        using var generator = descriptor.CreateGenerator(new VendorClientConfiguration(descriptor.DisplayName) { ApiKey = "k", BaseUrl = new Uri("https://agreement.test/") }, http);

        var error = await Should.ThrowAsync<VideoGenException>(() => generator.SubmitAsync(request));

        if (!accepted)
        {
            handler.Requests.ShouldBeEmpty();
            error.ShouldBeOfType<VideoGenValidationException>().Failures.Select(f => f.Field).ShouldContain(field);
            return;
        }

        // Accepted by validation: the adapter must map it, not refuse it at mapping time or drop it.
        (error as VideoGenValidationException)?.Failures.Select(f => f.Field).ShouldNotContain(field, $"validation accepts {field} for {vendorId} {modelId} but the adapter refuses it");
        if (failures.Count > 0 || error is VideoGenValidationException)
        {
            return; // another field stopped the request; this case says nothing about the mapping
        }

        var body = handler.Requests.ShouldHaveSingleItem().Body ?? string.Empty;
        var value = field switch
        {
            nameof(VideoGenerationRequest.StartImage) => Image,
            nameof(VideoGenerationRequest.EndImage) => EndImage,
            _ => Negative,
        };
        body.ShouldContain(value, customMessage: $"validation accepts {field} for {vendorId} {modelId}, so the adapter must send it");
    }
}

/// <summary>The "a forward extension takes the first frame" rule, stated once in validation, holds through the AIML adapter.</summary>
public sealed class ExtensionSlotRuleTests
{
    [Theory]
    [InlineData(false, "StartImage")]
    [InlineData(true, "EndImage")]
    public async Task SubmitAsync_ExtensionAndImageInOneFrame_IsRefusedOnceAndNothingIsSent(bool backward, string image)
    {
        var handler = new StubHttpHandler().On(HttpMethod.Post, ".*", _ => new HttpResponseMessage(HttpStatusCode.OK));
        using var generator = TestClients.AimlApi(handler).AsVideoGenerator();
        var request = new VideoGenerationRequest("More jellyfish")
        {
            Extend = new VideoExtension("0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9", backward),
            StartImage = image == "StartImage" ? new Uri("https://example.com/a.png") : null,
            EndImage = image == "EndImage" ? new Uri("https://example.com/b.png") : null,
        };

        var e = await Should.ThrowAsync<VideoGenValidationException>(() => generator.SubmitAsync(request));

        e.Failures.Count(f => f.Field == "Extend").ShouldBe(1);
        e.Failures.Single(f => f.Field == "Extend").Allowed.ShouldContain(image);
        handler.Requests.ShouldBeEmpty();
    }
}
