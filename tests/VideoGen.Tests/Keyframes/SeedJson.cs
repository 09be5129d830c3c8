using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen.Tests.Keyframes;

/// <summary>The AIML API seed's request bodies, verbatim, and the serializer the generated client uses.</summary>
internal static class SeedJson
{
    // 003_c929ef2f8a37e003.txt § Extend video, first snippet (image as first frame).
    public const string ImageFrame0 = """
        {
                "keyframes": {
                    "frame0": {
                        "type": "image",
                        "url": "https://example.com/image1.png"
                    }
                }
        }
        """;

    // 003_c929ef2f8a37e003.txt § Extend video, second snippet (earlier generation as last frame).
    public const string GenerationFrame1 = """
        {
            "keyframes": {
                "frame1": {
                    "type": "generation",
                    "id": "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"
                }
            }
        }
        """;

    // 003_c929ef2f8a37e003.txt § Examples / Extension with the Image / Python: payload.
    public const string ExtensionWithImagePython = """
        {
            "prompt": "Flying jellyfish",
            "aspect_ratio": "16:9",
            "keyframes": {
              "frame0": {
                "type": "image",
                "url": "https://example.com/image1.png"
              }
            }
          }
        """;

    // 003_c929ef2f8a37e003.txt § Examples / Extension with the Generation / Python: payload.
    public const string ExtensionWithGenerationPython = """
        {
            "prompt": "Flying jellyfish",
            "aspect_ratio": "16:9",
            "keyframes": {
              "frame0": {
                "type": "generation",
                "id": "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9"
              }
            }
          }
        """;

    public const string SeedGenerationId = "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9";

    public static readonly Uri SeedImage = new("https://example.com/image1.png");

    /// <summary>Serializes like the generated client: Newtonsoft, the generated [JsonProperty] attributes, nulls left out.</summary>
    public static JToken Serialize(object value) =>
        JToken.Parse(JsonConvert.SerializeObject(value, new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore }));

    /// <summary>Wraps keyframes the way the seed's snippets show them: <c>{"keyframes": ...}</c>.</summary>
    public static JToken InKeyframesObject(VideoGen.AimlApi.Keyframes keyframes) => new JObject { ["keyframes"] = Serialize(keyframes) };

    public static void ShouldBeJson(this JToken actual, string expected)
    {
        var expectedToken = JToken.Parse(expected);
        JToken.DeepEquals(actual, expectedToken).ShouldBeTrue(
            $"expected {expectedToken.ToString(Formatting.None)} but got {actual.ToString(Formatting.None)}");
    }
}
