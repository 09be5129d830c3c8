using FluentValidation;
using VideoGen.Gateway;

namespace VideoGen.Validation;

/// <summary>
/// The rules of the gateway's generated <see cref="CreateVideoRequest"/> (specs/gateway.yaml: prompt
/// 1–4,000 characters, a known model, webhook URL and events) plus the catalog's model list.
/// Field names are the JSON names.
/// </summary>
/// <remarks>
/// The gateway takes images and other model-specific inputs in the open <c>parameters</c> object,
/// whose keys no document lists, so image-related model capabilities cannot be checked here.
/// </remarks>
internal sealed class GatewayCreateVideoRequestValidator : AbstractValidator<Scoped<CreateVideoRequest>>
{
    /// <summary>The one instance: the rules hold no state, the vendor travels with the request.</summary>
    public static readonly GatewayCreateVideoRequestValidator Instance = new();

    private GatewayCreateVideoRequestValidator()
    {
        RuleFor(x => x.Request.Prompt)
            .ValidPrompt()
            .OverridePropertyName("prompt");

        RuleFor(x => x.Request.Model)
            .KnownModel()
            .OverridePropertyName("model");

        When(x => x.Request.WebhookUrl is not null, () =>
            RuleFor(x => x.Request.WebhookUrl)
                .HttpsUrl("a webhookUrl")
                .OverridePropertyName("webhookUrl"));

        When(x => x.Request.WebhookEvents is { Count: > 0 }, () =>
        {
            RuleFor(x => x.Request.WebhookEvents)
                .Must((x, _) => x.Request.WebhookUrl is not null)
                .WithMessage("webhookEvents are sent to a webhookUrl: give one, or leave webhookEvents out")
                .OverridePropertyName("webhookEvents");

            RuleForEach(x => x.Request.WebhookEvents)
                .Member()
                .OverridePropertyName("webhookEvents");
        });
    }
}
