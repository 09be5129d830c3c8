using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using VideoGen.Catalog;
using VideoGen.Validation;
using Aiml = VideoGen.AimlApi;
using Elumenta = VideoGen.Elumenta;
using Gateway = VideoGen.Apiframe;
using Oxen = VideoGen.Oxen;

namespace VideoGen.Tests.Validation;

/// <summary>The generated request types (the typed-client path): the seeds' own bodies pass, each broken rule is named by its JSON field.</summary>
public sealed class VendorRequestValidationTests
{
    private const string ExtendId = "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9";

    public static TheoryData<string, string> SeedBodies() => new()
    {
        // Seed 000 § Request Example (cURL text-to-video, cURL image-to-video, Python); seed 002 § Request Example.
        { "elumenta", """{"model":"kling-v2.1","prompt":"A time-lapse of a blooming flower, macro photography, soft natural light","duration":5,"aspect_ratio":"16:9"}""" },
        { "elumenta", """{"model":"luma-ray2","prompt":"The character slowly turns their head and smiles","image_url":"https://example.com/portrait.jpg","duration":5}""" },
        { "elumenta", """{"model":"kling-v2.1","prompt":"A drone flyover of a futuristic city at night","duration":5,"aspect_ratio":"16:9"}""" },
        { "neuralbox", """{"model":"kling-v2.1","prompt":"A time-lapse of a blooming flower, macro photography, soft natural light","duration":5,"aspect_ratio":"16:9"}""" },
        // Seed 003 § Example (POST .../generation) / Python, Extension with the Image, Extension with the Generation, and the frame1 snippet of § Extend video.
        { "aimlapi", """{"prompt":"Flying jellyfish","aspect_ratio":"16:9"}""" },
        { "aimlapi", """{"prompt":"Flying jellyfish","aspect_ratio":"16:9","keyframes":{"frame0":{"type":"image","url":"https://example.com/image1.png"}}}""" },
        { "aimlapi", """{"prompt":"Flying jellyfish","aspect_ratio":"16:9","keyframes":{"frame0":{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}}}""" },
        // Seed 004 § Minimal Example, Async Generation; the reference's multi-shot example (specs/oxen.yaml).
        { "oxen", """{"model":"kling-video-v2-6-pro-text-to-video","prompt":"A red balloon floating upward through blue sky","duration":5}""" },
        { "oxen", """{"model":"kling-video-o3-pro-reference-to-video","multi_prompt":[{"prompt":"Wide shot: a bird takes off from a branch","duration":5},{"prompt":"Tracking shot: the bird soars through clouds","duration":5}],"aspect_ratio":"16:9"}""" },
        // Seed 001 § Common request body (= https://docs-v2.apiframe.ai/docs/videos).
        { "gateway", """{"prompt":"A cat surfing a wave","model":"kling-2.1","webhookUrl":"https://hooks.example.com/video","webhookEvents":["progress","completed","failed"]}""" },
    };

    [Theory]
    [MemberData(nameof(SeedBodies))]
    public void Validate_SeedBody_ReportsNoFailure(string vendorId, string body)
    {
        var vendor = Vendor(vendorId);

        var failures = vendor.Spec switch
        {
            "elumenta.yaml" => VendorRequestValidation.Validate(vendor, JsonConvert.DeserializeObject<Elumenta.GenerateRequest>(body)!),
            "aimlapi.yaml" => VendorRequestValidation.Validate(vendor, JsonConvert.DeserializeObject<Aiml.CreateGenerationRequest>(body)!),
            "oxen.yaml" => VendorRequestValidation.Validate(vendor, JsonConvert.DeserializeObject<Oxen.EnqueueGenerationRequest>(body)!),
            "apiframe.yaml" => VendorRequestValidation.Validate(vendor, JsonConvert.DeserializeObject<Apiframe.CreateVideoRequest>(body)!),
            _ => throw new InvalidOperationException(vendor.Spec),
        };

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void EnsureValid_ElumentaDurationNotOfTheModel_NamesJsonFieldValueAndAllowed()
    {
        var request = new Elumenta.GenerateRequest { Model = "kling-v2.1", Prompt = "A cat", Duration = (Elumenta.VideoDuration)7 };

        var error = Should.Throw<VideoGenValidationException>(() => VendorRequestValidation.EnsureValid(Vendor("elumenta"), request));

        error.Message.ShouldBe($"The Elumenta request was not sent: 1 problem.{Environment.NewLine}- duration: '7' is not allowed; the contract allows 5 or 10.");
    }

    [Fact]
    public void EnsureValid_ElumentaSeveralProblems_ReportsEveryOne()
    {
        var request = new Elumenta.GenerateRequest
        {
            Model = " ",
            Prompt = " ",
            ImageUrl = new Uri("data/portrait.jpg", UriKind.Relative),
            AspectRatio = (Elumenta.AspectRatio)9,
        };

        var error = Should.Throw<VideoGenValidationException>(() => VendorRequestValidation.EnsureValid(Vendor("neuralbox"), request));

        error.Failures.Select(f => (f.Field, f.Value)).ShouldBe([("model", " "), ("prompt", " "), ("image_url", "data/portrait.jpg"), ("aspect_ratio", "9")]);
        error.Failures[0].Allowed.ShouldBe("a model slug is required, for example luma-flash2, kling-v2.1, minimax-video, luma-ray2, mj-video-480p or mj-video-720p");
        error.Failures[3].Allowed.ShouldBe("the contract allows 16:9, 9:16 or 1:1");
        error.Message.ShouldStartWith("The NeuralBox request was not sent: 4 problems.");
    }

    [Theory]
    [InlineData("elumenta", "kling-v2.1-pro")]
    [InlineData("neuralbox", "luma-ray2-flash")]
    [InlineData("elumenta", "sora-2")]
    public void Validate_ElumentaSlugDocumentedElsewhere_PassesWithAWarning(string vendorId, string slug)
    {
        // Issue 10: the vendor documents more slugs than the seeds' table; the contract's model is a free string.
        var request = new Elumenta.GenerateRequest { Model = slug, Prompt = "A cat" };

        VendorRequestValidation.Validate(Vendor(vendorId), request).ShouldBeEmpty();
        var warning = VendorRequestValidation.Warnings(Vendor(vendorId), request).ShouldHaveSingleItem();
        warning.Field.ShouldBe("model");
        warning.Value.ShouldBe(slug);
        warning.Message.ShouldContain("sent as given");
    }

    [Theory]
    [InlineData("elumenta", "kling-v2.1-pro")]
    [InlineData("neuralbox", "veo-3.1")]
    public void ValidateNeutral_ElumentaSlugDocumentedElsewhere_PassesWithAWarning(string vendorId, string slug)
    {
        var request = new VideoGenerationRequest("A cat") { Model = slug, DurationSeconds = 5 };

        VideoRequestValidation.Validate(Vendor(vendorId), request).ShouldBeEmpty();
        VideoRequestValidation.Warnings(Vendor(vendorId), request).ShouldHaveSingleItem().Field.ShouldBe(nameof(VideoGenerationRequest.Model));
    }

    [Fact]
    public void ValidateNeutral_UnknownModelAtAClosedVendor_IsStillRefused()
    {
        var request = new VideoGenerationRequest("A cat") { Model = "ray-9" };

        VideoRequestValidation.Validate(Vendor("aimlapi"), request).ShouldContain(f => f.Field == nameof(VideoGenerationRequest.Model));
        VideoRequestValidation.Warnings(Vendor("aimlapi"), request).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("kling-video-o3-pro-reference-to-video")]
    public void ValidateNeutral_OxenStartImageForAReferenceModel_IsAcceptedAsTheAdapterMapsIt(string model)
    {
        // Issue 10: `validate --vendor oxen --image` refused an image the adapter sends as input_image.
        var request = new VideoGenerationRequest("A cat") { Model = model, StartImage = new Uri("https://example.com/cat.png") };

        VideoRequestValidation.Validate(Vendor("oxen"), request).ShouldBeEmpty();
        VendorRequestValidation.Validate(Vendor("oxen"), new Oxen.GenerateVideoRequest { Model = model, Prompt = "A cat", InputImage = "https://example.com/cat.png" }).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_AimlSeedExampleWithoutAspectRatio_IsRefusedAsThePageRequiresIt()
    {
        // Issue 10: the seed's page requires aspect_ratio; its backward-extension example omits it. The schema wins:
        // VideoGen sends aspect_ratio on every request.
        var request = Newtonsoft.Json.JsonConvert.DeserializeObject<Aiml.CreateGenerationRequest>(
            """{"prompt":"Flying jellyfish","keyframes":{"frame1":{"type":"generation","id":"0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"}}}""")!;

        VendorRequestValidation.Validate(Vendor("aimlapi"), request).ShouldHaveSingleItem().Field.ShouldBe("aspect_ratio");
    }

    [Fact]
    public void Validate_AimlPromptOf2049Characters_IsRefused()
    {
        // Issue 10 decision: AI/ML API's 2048, not Luma's 5000.
        var request = new Aiml.CreateGenerationRequest { Prompt = new string('a', 2049), AspectRatio = Aiml.AspectRatio.Landscape16x9 };

        VendorRequestValidation.Validate(Vendor("aimlapi"), request).ShouldHaveSingleItem().Field.ShouldBe("prompt");
        VendorRequestValidation.Validate(Vendor("aimlapi"), new Aiml.CreateGenerationRequest { Prompt = new string('a', 2048), AspectRatio = Aiml.AspectRatio.Landscape16x9 }).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_GatewayPromptOf4001Characters_IsRefused()
    {
        var request = new Apiframe.CreateVideoRequest { Prompt = new string('a', 4001), Model = Apiframe.VideoModel.Kling21 };

        var failure = VendorRequestValidation.Validate(Vendor("gateway"), request).ShouldHaveSingleItem();

        failure.Field.ShouldBe("prompt");
        failure.Value.ShouldBe(new string('a', 80) + "… (4001 characters)");
        failure.Allowed.ShouldBe("Apiframe prompts are 1 to 4000 characters; this one has 4001");
    }

    [Fact]
    public void Validate_GatewayEmptyPrompt_IsRefused()
    {
        var request = new Apiframe.CreateVideoRequest { Prompt = "", Model = Apiframe.VideoModel.Veo3 };

        VendorRequestValidation.Validate(Vendor("gateway"), request).ShouldHaveSingleItem().Field.ShouldBe("prompt");
    }

    [Fact]
    public void Validate_GatewayHttpWebhookAndUnknownEvent_ReportsBoth()
    {
        var request = new Apiframe.CreateVideoRequest
        {
            Prompt = "A cat",
            Model = Apiframe.VideoModel.Kling21,
            WebhookUrl = new Uri("http://hooks.example.com/video"),
            WebhookEvents = [Apiframe.WebhookEvent.Completed, (Apiframe.WebhookEvent)7],
        };

        var failures = VendorRequestValidation.Validate(Vendor("gateway"), request);

        failures.Select(f => f.ToString()).ShouldBe(
        [
            "webhookUrl: 'http://hooks.example.com/video' is not allowed; a webhookUrl is an absolute https URL.",
            "webhookEvents[1]: '7' is not allowed; the contract allows progress, completed or failed.",
        ]);
    }

    [Fact]
    public void Validate_GatewayEventsWithoutUrl_IsRefused()
    {
        var request = new Apiframe.CreateVideoRequest { Prompt = "A cat", Model = Apiframe.VideoModel.Sora2, WebhookEvents = [Apiframe.WebhookEvent.Completed] };

        var failure = VendorRequestValidation.Validate(Vendor("gateway"), request).ShouldHaveSingleItem();

        failure.Field.ShouldBe("webhookEvents");
        failure.Value.ShouldBe("[completed]");
    }

    [Fact]
    public void Validate_AimlKeyframeGenerationWithoutId_NamesTheKeyframeField()
    {
        var request = new Aiml.CreateGenerationRequest { Prompt = "Flying jellyfish", AspectRatio = Aiml.AspectRatio.Landscape16x9, Keyframes = new Aiml.Keyframes { Frame0 = new Aiml.Keyframe { Type = Aiml.KeyframeType.Generation } } };

        var failure = VendorRequestValidation.Validate(Vendor("aimlapi"), request).ShouldHaveSingleItem();

        failure.ToString().ShouldBe("keyframes.frame0.id: (missing) is not allowed; a keyframe of type generation needs the earlier generation's id (a UUID).");
    }

    [Fact]
    public void Validate_AimlKeyframesOfTheWrongShape_ReportsEveryField()
    {
        var request = new Aiml.CreateGenerationRequest
        {
            Prompt = "Flying jellyfish",
            AspectRatio = Aiml.AspectRatio.Landscape16x9,
            Keyframes = new Aiml.Keyframes
            {
                // An image with an id and no url; a generation with a url and an empty id.
                Frame0 = new Aiml.Keyframe { Type = Aiml.KeyframeType.Image, Id = Guid.Parse(ExtendId) },
                Frame1 = new Aiml.Keyframe { Type = Aiml.KeyframeType.Generation, Id = Guid.Empty, Url = new Uri("https://example.com/image1.png") },
            },
        };

        var failures = VendorRequestValidation.Validate(Vendor("aimlapi"), request);

        failures.Select(f => (f.Field, f.Value)).ShouldBe(
        [
            ("keyframes.frame0.url", null),
            ("keyframes.frame0.id", ExtendId),
            ("keyframes.frame1.id", Guid.Empty.ToString()),
            ("keyframes.frame1.url", "https://example.com/image1.png"),
        ]);
        failures[1].Allowed.ShouldBe("a keyframe of type image takes a url and no id (an id goes with type generation)");
        failures[3].Allowed.ShouldBe("a keyframe of type generation takes an id and no url (a url goes with type image)");
    }

    [Fact]
    public void Validate_AimlEnumsOutsideTheContract_AreRefused()
    {
        var request = new Aiml.CreateGenerationRequest
        {
            Prompt = "A jellyfish in the ocean",
            AspectRatio = (Aiml.AspectRatio)19,
            Model = (Aiml.LumaModel)9,
            Duration = (Aiml.VideoDuration)3,
            Resolution = (Aiml.VideoResolution)8,
            Keyframes = new Aiml.Keyframes { Frame0 = new Aiml.Keyframe { Type = (Aiml.KeyframeType)5 } },
        };

        var failures = VendorRequestValidation.Validate(Vendor("aimlapi"), request);

        failures.Select(f => f.Field).ShouldBe(["model", "aspect_ratio", "resolution", "duration", "keyframes.frame0.type"]);
        failures[1].Allowed.ShouldBe("the contract allows 1:1, 16:9, 9:16, 4:3, 3:4, 21:9 or 9:21");
        failures[3].Allowed.ShouldBe("the contract allows 5s or 9s");
    }

    [Fact]
    public void Validate_AimlEveryContractValue_IsAccepted()
    {
        foreach (var model in Enum.GetValues<Aiml.LumaModel>())
        {
            foreach (var duration in Enum.GetValues<Aiml.VideoDuration>())
            {
                foreach (var resolution in Enum.GetValues<Aiml.VideoResolution>())
                {
                    var request = new Aiml.CreateGenerationRequest { Prompt = "Flying jellyfish", Model = model, Duration = duration, Resolution = resolution, AspectRatio = Aiml.AspectRatio.Portrait9x21, Loop = true };

                    VendorRequestValidation.Validate(Vendor("aimlapi"), request).ShouldBeEmpty($"{model} {duration} {resolution}");
                }
            }
        }
    }

    [Fact]
    public void Validate_AimlHttpCallback_IsRefused()
    {
        var request = new Aiml.CreateGenerationRequest { Prompt = "Flying jellyfish", AspectRatio = Aiml.AspectRatio.Landscape16x9, CallbackUrl = new Uri("http://hooks.example.com/luma") };

        VendorRequestValidation.Validate(Vendor("aimlapi"), request).ShouldHaveSingleItem().ToString()
            .ShouldBe("callback_url: 'http://hooks.example.com/luma' is not allowed; a callback_url is an absolute https URL.");
    }

    [Fact]
    public void Validate_OxenImageOnTheTextToVideoModel_IsRefused()
    {
        var request = new Oxen.GenerateVideoRequest { Model = "kling-video-v2-6-pro-text-to-video", Prompt = "A red balloon", InputImage = "https://example.com/balloon.png" };

        VendorRequestValidation.Validate(Vendor("oxen"), request).ShouldHaveSingleItem().ToString().ShouldBe(
            "input_image: 'https://example.com/balloon.png' is not allowed; kling-video-v2-6-pro-text-to-video takes no input image (Oxen.ai models that can: kling-video-o3-pro-reference-to-video).");
    }

    [Fact]
    public void Validate_OxenReferenceImages_AcceptsAUrlArray()
    {
        var request = JsonConvert.DeserializeObject<Oxen.GenerateVideoRequest>(
            """{"model":"kling-video-o3-pro-reference-to-video","prompt":"A bird","input_image":["https://example.com/a.png","https://example.com/b.png"]}""")!;

        request.InputImage.ShouldBeOfType<JArray>();
        VendorRequestValidation.Validate(Vendor("oxen"), request).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/a.png")]
    [InlineData(42)]
    public void Validate_OxenInputImageNotAUrl_IsRefused(object image)
    {
        var request = new Oxen.GenerateVideoRequest { Model = "kling-video-o3-pro-reference-to-video", Prompt = "A bird", InputImage = image };

        VendorRequestValidation.Validate(Vendor("oxen"), request).ShouldHaveSingleItem().Allowed
            .ShouldBe("an input_image is an absolute http(s) URL, or a non-empty array of them");
    }

    [Fact]
    public void Validate_OxenPromptAndMultiPrompt_AreExclusive()
    {
        var both = new Oxen.GenerateVideoRequest { Model = "kling-video-o3-pro-reference-to-video", Prompt = "A bird", MultiPrompt = [new Oxen.PromptShot { Prompt = "A bird" }] };
        var neither = new Oxen.GenerateVideoRequest { Model = "kling-video-o3-pro-reference-to-video" };

        VendorRequestValidation.Validate(Vendor("oxen"), both).ShouldHaveSingleItem().ToString()
            .ShouldBe("""multi_prompt: '[{"prompt":"A bird"}]' is not allowed; give a prompt or a multi_prompt, not both.""");
        VendorRequestValidation.Validate(Vendor("oxen"), neither).ShouldHaveSingleItem().ToString()
            .ShouldBe("prompt: (missing) is not allowed; give a prompt, or a multi_prompt for a multi-shot video.");
    }

    [Fact]
    public void EnsureValid_OxenEnqueueWithBadShotsAndCount_ReportsEveryOne()
    {
        var request = new Oxen.EnqueueGenerationRequest
        {
            Model = "",
            MultiPrompt = [new Oxen.PromptShot { Prompt = "Aerial view of waves", Duration = 5 }, new Oxen.PromptShot { Prompt = " ", Duration = 0 }],
            AspectRatio = "wide",
            InputVideo = new Uri("file:///tmp/clip.mp4"),
            NumGenerations = 5,
        };

        var error = Should.Throw<VideoGenValidationException>(() => VendorRequestValidation.EnsureValid(Vendor("oxen"), request));

        error.Failures.Select(f => f.Field).ShouldBe(["model", "multi_prompt[1].prompt", "multi_prompt[1].duration", "aspect_ratio", "input_video", "num_generations"]);
        error.Failures[^1].ToString().ShouldBe("num_generations: '5' is not allowed; one request enqueues 1 to 4 generations.");
    }

    [Fact]
    public void Validate_OxenModelTheCatalogDoesNotKnow_IsPassedThrough()
    {
        // specs/oxen.yaml keeps model an open string: Oxen serves more models than it documents.
        var request = new Oxen.GenerateVideoRequest { Model = "wan-video-2-5-image-to-video", Prompt = "A cat", InputImage = "https://example.com/cat.png", Duration = 10 };

        VendorRequestValidation.Validate(Vendor("oxen"), request).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_RequestOfAnotherContract_ThrowsArgumentException()
    {
        var request = new Apiframe.CreateVideoRequest { Prompt = "A cat", Model = Apiframe.VideoModel.Kling21 };

        var error = Should.Throw<ArgumentException>(() => VendorRequestValidation.Validate(Vendor("elumenta"), request));

        error.ParamName.ShouldBe("vendor");
        error.Message.ShouldContain("specs/apiframe.yaml");
        error.Message.ShouldContain("'elumenta' speaks specs/elumenta.yaml");
    }

    [Fact]
    public void Validate_NullRequest_ThrowsArgumentNullException()
    {
        Should.Throw<ArgumentNullException>(() => VendorRequestValidation.Validate(Vendor("elumenta"), (Elumenta.GenerateRequest)null!));
        Should.Throw<ArgumentNullException>(() => VendorRequestValidation.Validate(null!, new Aiml.CreateGenerationRequest { Prompt = "x" }));
    }

    private static VendorInfo Vendor(string id) => VideoModelCatalog.Default.GetVendor(id);
}
