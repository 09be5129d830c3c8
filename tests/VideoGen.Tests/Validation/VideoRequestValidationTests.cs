using VideoGen.Catalog;
using VideoGen.Validation;

namespace VideoGen.Tests.Validation;

/// <summary>The vendor-neutral request against each vendor's catalog entry: a table of valid and invalid inputs, most taken from the seeds.</summary>
public sealed class VideoRequestValidationTests
{
    private const string ExtendId = "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9";

    /// <summary>Requests the vendor takes (seed examples first).</summary>
    private static readonly Dictionary<string, (string Vendor, Func<VideoGenerationRequest> Request, VideoGenerationOptions? Options)> ValidCases = new()
    {
        ["elumenta seed 000 text-to-video"] = ("elumenta", () => new("A time-lapse of a blooming flower, macro photography, soft natural light") { Model = "kling-v2.1", DurationSeconds = 5, AspectRatio = "16:9" }, null),
        ["elumenta seed 000 image-to-video"] = ("elumenta", () => new("The character slowly turns their head and smiles") { Model = "luma-ray2", StartImage = new Uri("https://example.com/portrait.jpg"), DurationSeconds = 5 }, null),
        ["elumenta seed 000 python example"] = ("elumenta", () => new("A drone flyover of a futuristic city at night") { Model = "kling-v2.1", DurationSeconds = 5, AspectRatio = "16:9" }, null),
        ["elumenta default model, 10 s, 9:16, negative prompt"] = ("elumenta", () => new("A cat") { DurationSeconds = 10, AspectRatio = "9:16", NegativePrompt = "blur" }, null),
        ["elumenta mj-video-720p at 720p"] = ("elumenta", () => new("A cat") { Model = "mj-video-720p", Resolution = "720p" }, null),
        ["neuralbox seed 002 text-to-video"] = ("neuralbox", () => new("A time-lapse of a blooming flower, macro photography, soft natural light") { Model = "kling-v2.1", DurationSeconds = 5, AspectRatio = "16:9" }, null),
        ["gateway prompt of 4000 characters"] = ("gateway", () => new(new string('a', 4000)) { Model = "kling-2.1" }, null),
        ["gateway midjourney-video with a start image"] = ("gateway", () => new("Waves") { Model = "midjourney-video", StartImage = new Uri("https://example.com/sea.png") }, null),
        ["gateway hailuo-02 start and end image"] = ("gateway", () => new("Morph") { Model = "hailuo-02", StartImage = new Uri("https://example.com/a.png"), EndImage = new Uri("http://example.com/b.png") }, null),
        ["gateway wan-2.6 within its 15 s"] = ("gateway", () => new("A story") { Model = "wan-2.6", DurationSeconds = 15, AspectRatio = "21:9" }, null),
        ["gateway https webhook and parameters"] = ("gateway", () => new("A cat") { Model = "kling-3.0" }, new VideoGenerationOptions { WebhookUrl = new Uri("https://hooks.example.com/video"), AdditionalProperties = new Dictionary<string, object?> { ["mode"] = "pro" }, MaxCost = 0m }),
        ["aimlapi seed 003 text-to-video"] = ("aimlapi", () => new("Flying jellyfish") { AspectRatio = "16:9" }, null),
        ["aimlapi seed 003 image as first frame"] = ("aimlapi", () => new("Flying jellyfish") { AspectRatio = "16:9", StartImage = new Uri("https://example.com/image1.png") }, null),
        ["aimlapi seed 003 extend a generation"] = ("aimlapi", () => new("Flying jellyfish") { AspectRatio = "16:9", Extend = new VideoExtension(ExtendId) }, null),
        ["aimlapi extend backward with a start image"] = ("aimlapi", () => new("Flying jellyfish") { StartImage = new Uri("https://example.com/image1.png"), Extend = new VideoExtension(ExtendId, Backward: true) }, null),
        ["aimlapi extend forward with an end image"] = ("aimlapi", () => new("Flying jellyfish") { EndImage = new Uri("https://example.com/image1.png"), Extend = new VideoExtension(ExtendId) }, null),
        ["aimlapi ray-flash-2 loop, 9 s, 4k, 9:21"] = ("aimlapi", () => new("Flying jellyfish") { Model = "ray-flash-2", Loop = true, DurationSeconds = 9, Resolution = "4k", AspectRatio = "9:21" }, null),
        ["oxen seed 004 text-to-video"] = ("oxen", () => new("A red balloon floating upward through blue sky") { Model = "kling-video-v2-6-pro-text-to-video", DurationSeconds = 5 }, null),
        ["oxen undocumented duration is not checked"] = ("oxen", () => new("A sunset timelapse over the ocean") { DurationSeconds = 10, AspectRatio = "9:16" }, null),
        ["loop false on a vendor without loop"] = ("elumenta", () => new("A cat") { Loop = false }, null),
    };

    /// <summary>Requests the vendor refuses: the one failure expected (field, value as shown, what is allowed).</summary>
    private static readonly Dictionary<string, (string Vendor, Func<VideoGenerationRequest> Request, VideoGenerationOptions? Options, string Field, string? Value, string Allowed)> InvalidCases = new()
    {
        ["elumenta duration 7"] = ("elumenta", () => new("A cat") { Model = "kling-v2.1", DurationSeconds = 7 }, null,
            "DurationSeconds", "7", "kling-v2.1 accepts 5 or 10 seconds"),
        ["elumenta duration 0"] = ("elumenta", () => new("A cat") { DurationSeconds = 0 }, null,
            "DurationSeconds", "0", "a duration is a positive number of seconds"),
        ["elumenta aspect ratio 4:3"] = ("elumenta", () => new("A cat") { AspectRatio = "4:3" }, null,
            "AspectRatio", "4:3", "kling-v2.1 accepts 16:9, 9:16 or 1:1"),
        ["aimlapi unknown model"] = ("aimlapi", () => new("A cat") { Model = "ray-9" }, null,
            "Model", "ray-9", "AIML API models are"),
        ["elumenta blank prompt"] = ("elumenta", () => new("   "), null,
            "Prompt", "   ", "a prompt is required: describe the video"),
        ["elumenta mj-video-480p at 720p"] = ("elumenta", () => new("A cat") { Model = "mj-video-480p", Resolution = "720p" }, null,
            "Resolution", "720p", "mj-video-480p makes 480p"),
        ["elumenta end image"] = ("elumenta", () => new("A cat") { Model = "luma-ray2", EndImage = new Uri("https://example.com/end.png") }, null,
            "EndImage", "https://example.com/end.png", "luma-ray2 cannot end on a given image (no Elumenta model can)"),
        ["elumenta loop"] = ("elumenta", () => new("A cat") { Loop = true }, null,
            "Loop", "true", "Elumenta cannot loop a video; leave Loop unset or false"),
        ["elumenta start image not http(s)"] = ("elumenta", () => new("A cat") { StartImage = new Uri("ftp://example.com/cat.png") }, null,
            "StartImage", "ftp://example.com/cat.png", "a start image is an absolute http(s) URL"),
        ["elumenta relative start image"] = ("elumenta", () => new("A cat") { StartImage = new Uri("images/cat.png", UriKind.Relative) }, null,
            "StartImage", "images/cat.png", "a start image is an absolute http(s) URL"),
        ["elumenta webhook"] = ("elumenta", () => new("A cat"), new VideoGenerationOptions { WebhookUrl = new Uri("https://hooks.example.com/v") },
            "WebhookUrl", "https://hooks.example.com/v", "Elumenta sends no webhooks; poll the job instead"),
        ["elumenta additional properties"] = ("elumenta", () => new("A cat"), new VideoGenerationOptions { AdditionalProperties = new Dictionary<string, object?> { ["seed"] = 42 } },
            "AdditionalProperties", "{seed}", "Elumenta takes no model-specific parameters; use the request's own properties"),
        ["negative budget"] = ("elumenta", () => new("A cat"), new VideoGenerationOptions { MaxCost = -1m },
            "MaxCost", "-1", "a budget is zero or more Elumenta tokens"),
        ["neuralbox extend"] = ("neuralbox", () => new("A cat") { Extend = new VideoExtension(ExtendId) }, null,
            "Extend", $"generation {ExtendId}, forward", "NeuralBox cannot extend an earlier generation; leave Extend unset"),
        ["gateway prompt of 4001 characters"] = ("gateway", () => new(new string('a', 4001)) { Model = "kling-2.1" }, null,
            "Prompt", new string('a', 80) + "… (4001 characters)", "Apiframe prompts are 1 to 4000 characters; this one has 4001"),
        ["gateway http webhook"] = ("gateway", () => new("A cat") { Model = "kling-2.1" }, new VideoGenerationOptions { WebhookUrl = new Uri("http://hooks.example.com/video") },
            "WebhookUrl", "http://hooks.example.com/video", "a webhook URL is an absolute https URL"),
        ["gateway midjourney-video without an image"] = ("gateway", () => new("Waves") { Model = "midjourney-video" }, null,
            "StartImage", null, "midjourney-video makes videos from an image only: give a StartImage"),
        ["gateway wan-2.6-flash without an image"] = ("gateway", () => new("Waves") { Model = "wan-2.6-flash" }, null,
            "StartImage", null, "wan-2.6-flash makes videos from an image only: give a StartImage"),
        ["gateway wan-2.6 beyond its 15 s"] = ("gateway", () => new("A story") { Model = "wan-2.6", DurationSeconds = 20 }, null,
            "DurationSeconds", "20", "wan-2.6 accepts 5, 10 or 15 seconds"),
        ["gateway end image on sora-2"] = ("gateway", () => new("A cat") { Model = "sora-2", EndImage = new Uri("https://example.com/end.png") }, null,
            "EndImage", "https://example.com/end.png", "sora-2 cannot end on a given image (Apiframe models that can: hailuo-02, luma-ray-2, luma-ray-flash-2, kling-2.1, kling-2.5-turbo-pro, kling-3.0, seedance-2, seedance-2-fast, veo-3.1 and veo-3.1-fast)"),
        ["aimlapi aspect ratio 19:9 (seed 003 JavaScript)"] = ("aimlapi", () => new("A jellyfish in the ocean") { AspectRatio = "19:9", Loop = false }, null,
            "AspectRatio", "19:9", "ray-2 accepts 1:1, 16:9, 9:16, 4:3, 3:4, 21:9 or 9:21"),
        ["aimlapi aspect ratio not width:height"] = ("aimlapi", () => new("Flying jellyfish") { AspectRatio = "16x9" }, null,
            "AspectRatio", "16x9", "an aspect ratio is width:height, for example 16:9"),
        ["aimlapi negative prompt"] = ("aimlapi", () => new("Flying jellyfish") { NegativePrompt = "blur" }, null,
            "NegativePrompt", "blur", "AIML API has no negative prompt; leave it out"),
        ["aimlapi duration 10"] = ("aimlapi", () => new("Flying jellyfish") { DurationSeconds = 10 }, null,
            "DurationSeconds", "10", "ray-2 accepts 5 or 9 seconds"),
        ["aimlapi resolution 2k"] = ("aimlapi", () => new("Flying jellyfish") { Resolution = "2k" }, null,
            "Resolution", "2k", "ray-2 makes 540p, 720p, 1080p or 4k"),
        ["aimlapi extend forward with a start image (frame0 twice)"] = ("aimlapi", () => new("Flying jellyfish") { StartImage = new Uri("https://example.com/image1.png"), Extend = new VideoExtension(ExtendId) }, null,
            "Extend", $"generation {ExtendId}, forward", "extending forward puts the earlier generation in the first frame (keyframes.frame0), where StartImage also goes"),
        ["aimlapi extend backward with an end image (frame1 twice)"] = ("aimlapi", () => new("Flying jellyfish") { EndImage = new Uri("https://example.com/image1.png"), Extend = new VideoExtension(ExtendId, Backward: true) }, null,
            "Extend", $"generation {ExtendId}, backward", "extending backward puts the earlier generation in the last frame (keyframes.frame1), where EndImage also goes"),
        ["aimlapi extend id not a UUID"] = ("aimlapi", () => new("Flying jellyfish") { Extend = new VideoExtension("gen-42") }, null,
            "Extend.GenerationId", "gen-42", "AIML API generation ids are UUIDs"),
        ["aimlapi extend without an id"] = ("aimlapi", () => new("Flying jellyfish") { Extend = new VideoExtension(" ") }, null,
            "Extend.GenerationId", " ", "the id of the generation to extend is required"),
        ["aimlapi http callback"] = ("aimlapi", () => new("Flying jellyfish"), new VideoGenerationOptions { WebhookUrl = new Uri("http://hooks.example.com/v") },
            "WebhookUrl", "http://hooks.example.com/v", "a webhook URL is an absolute https URL"),
        ["oxen webhook"] = ("oxen", () => new("A red balloon"), new VideoGenerationOptions { WebhookUrl = new Uri("https://hooks.example.com/v") },
            "WebhookUrl", "https://hooks.example.com/v", "Oxen.ai sends no webhooks; poll the job instead"),
        ["oxen image-to-video on the text-to-video model"] = ("oxen", () => new("A red balloon") { Model = "kling-video-v2-6-pro-text-to-video", StartImage = new Uri("https://example.com/balloon.png") }, null,
            "StartImage", "https://example.com/balloon.png", "kling-video-v2-6-pro-text-to-video takes no start or reference image (Oxen.ai models that can: kling-video-o3-pro-reference-to-video)"),
        ["oxen unknown model"] = ("oxen", () => new("A red balloon") { Model = "kling-video-v9" }, null,
            "Model", "kling-video-v9", "Oxen.ai models are kling-video-v2-6-pro-text-to-video or kling-video-o3-pro-reference-to-video"),
    };

    public static TheoryData<string> ValidNames() => [.. ValidCases.Keys];

    public static TheoryData<string> InvalidNames() => [.. InvalidCases.Keys];

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Validate_ValidRequest_ReportsNoFailure(string name)
    {
        var (vendor, request, options) = ValidCases[name];

        var failures = VideoRequestValidation.Validate(Vendor(vendor), request(), options);

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
        Should.NotThrow(() => VideoRequestValidation.EnsureValid(Vendor(vendor), request(), options));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void EnsureValid_InvalidRequest_ThrowsNamingFieldValueAndAllowed(string name)
    {
        var (vendor, request, options, field, value, allowed) = InvalidCases[name];

        var error = Should.Throw<VideoGenValidationException>(() => VideoRequestValidation.EnsureValid(Vendor(vendor), request(), options));

        var failure = error.Failures.ShouldHaveSingleItem();
        failure.Field.ShouldBe(field);
        failure.Value.ShouldBe(value);
        failure.Allowed.ShouldStartWith(allowed);
        error.Vendor.ShouldBe(Vendor(vendor).DisplayName);
        error.Message.ShouldContain($"- {field}: {(value is null ? "(missing)" : $"'{value}'")} is not allowed; {allowed}");
    }

    [Fact]
    public void EnsureValid_DurationNotOfTheModel_MessageReadsAsDocumented()
    {
        var request = new VideoGenerationRequest("A cat") { Model = "kling-v2.1", DurationSeconds = 7 };

        var error = Should.Throw<VideoGenValidationException>(() => VideoRequestValidation.EnsureValid(Vendor("elumenta"), request));

        error.Message.ShouldBe($"The Elumenta request was not sent: 1 problem.{Environment.NewLine}- DurationSeconds: '7' is not allowed; kling-v2.1 accepts 5 or 10 seconds.");
    }

    [Fact]
    public void EnsureValid_SeveralProblems_ReportsEveryOneInOneException()
    {
        var request = new VideoGenerationRequest("") { Model = "kling-v2.1", DurationSeconds = 7, AspectRatio = "4:3", Loop = true, StartImage = new Uri("file:///tmp/cat.png") };
        var options = new VideoGenerationOptions { WebhookUrl = new Uri("https://hooks.example.com/v") };

        var error = Should.Throw<VideoGenValidationException>(() => VideoRequestValidation.EnsureValid(Vendor("elumenta"), request, options));

        error.Failures.Select(f => f.Field).ShouldBe(["Prompt", "DurationSeconds", "AspectRatio", "StartImage", "Loop", "WebhookUrl"]);
        error.Message.ShouldStartWith("The Elumenta request was not sent: 6 problems.");
        foreach (var failure in error.Failures)
        {
            error.Message.ShouldContain(failure.ToString());
        }
    }

    [Fact]
    public void EnsureValid_ImageOnlyModelWithImageOfWrongScheme_ReportsTheUrlNotTheMissingImage()
    {
        var request = new VideoGenerationRequest("Waves") { Model = "midjourney-video", StartImage = new Uri("ftp://example.com/sea.png") };

        var failures = VideoRequestValidation.Validate(Vendor("gateway"), request);

        failures.ShouldHaveSingleItem().Allowed.ShouldBe("a start image is an absolute http(s) URL");
    }

    [Fact]
    public void EnsureValid_SignedImageUrl_DoesNotEchoTheQuery()
    {
        var request = new VideoGenerationRequest("A red balloon")
        {
            StartImage = new Uri("https://bucket.example.com/balloon.png?X-Amz-Signature=s3cr3tsignature&X-Amz-Credential=AKIAEXAMPLE"),
        };

        var error = Should.Throw<VideoGenValidationException>(() => VideoRequestValidation.EnsureValid(Vendor("oxen"), request));

        error.Failures.ShouldHaveSingleItem().Value.ShouldBe("https://bucket.example.com/balloon.png?…");
        error.Message.ShouldNotContain("s3cr3tsignature");
        error.Message.ShouldNotContain("AKIAEXAMPLE");
    }

    [Fact]
    public void EnsureValid_UrlWithUserInfo_DoesNotEchoTheCredentials()
    {
        var options = new VideoGenerationOptions { WebhookUrl = new Uri("http://hook-user:hunter2@hooks.example.com/video") };

        var error = Should.Throw<VideoGenValidationException>(() => VideoRequestValidation.EnsureValid(Vendor("gateway"), new VideoGenerationRequest("A cat") { Model = "veo-3" }, options));

        error.Failures.ShouldHaveSingleItem().Value.ShouldBe("http://hooks.example.com/video");
        error.Message.ShouldNotContain("hunter2");
    }

    [Fact]
    public void EnsureValid_HugePrompt_IsCutInTheMessage()
    {
        var prompt = string.Concat(Enumerable.Repeat("a quiet harbour at dawn, ", 400));

        var error = Should.Throw<VideoGenValidationException>(() => VideoRequestValidation.EnsureValid(Vendor("gateway"), new VideoGenerationRequest(prompt) { Model = "veo-3" }));

        error.Message.Length.ShouldBeLessThan(400);
        error.Failures.ShouldHaveSingleItem().Value!.ShouldStartWith(prompt[..80]);
    }

    [Fact]
    public void Validate_PromptLengthInCharacters_CountsEmojiAsOneCharacter()
    {
        // 4000 code points, 8000 UTF-16 units: within the gateway's 1–4,000 characters.
        var prompt = string.Concat(Enumerable.Repeat("🎬", 4000));

        VideoRequestValidation.Validate(Vendor("gateway"), new VideoGenerationRequest(prompt) { Model = "veo-3" }).ShouldBeEmpty();
        VideoRequestValidation.Validate(Vendor("gateway"), new VideoGenerationRequest(prompt + "🎬") { Model = "veo-3" })
            .ShouldHaveSingleItem().Allowed.ShouldBe("Apiframe prompts are 1 to 4000 characters; this one has 4001");
    }

    [Fact]
    public void Validate_UnknownModel_ReportsOnlyTheModel()
    {
        // Model-dependent rules cannot judge a model the catalog does not know; the model is the one problem
        // (at a vendor with a closed model list; Elumenta's open slugs only warn, see VendorRequestValidationTests).
        var request = new VideoGenerationRequest("A cat") { Model = "nope", DurationSeconds = 7, AspectRatio = "4:3", StartImage = new Uri("https://example.com/a.png") };

        VideoRequestValidation.Validate(Vendor("aimlapi"), request).ShouldHaveSingleItem().Field.ShouldBe("Model");
        VideoRequestValidation.Validate(Vendor("elumenta"), request).ShouldBeEmpty();
        VideoRequestValidation.Warnings(Vendor("elumenta"), request).ShouldHaveSingleItem().Field.ShouldBe("Model");
    }

    [Fact]
    public void Validate_NullArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => VideoRequestValidation.Validate(null!, new VideoGenerationRequest("A cat")));
        Should.Throw<ArgumentNullException>(() => VideoRequestValidation.Validate(Vendor("elumenta"), null!));
    }

    private static VendorInfo Vendor(string id) => VideoModelCatalog.Default.GetVendor(id);
}
