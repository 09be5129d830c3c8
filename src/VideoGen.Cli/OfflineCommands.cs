using System.CommandLine;
using VideoGen.Pricing;
using VideoGen.Validation;

namespace VideoGen.Cli;

/// <summary>videogen validate ... and videogen price ...: the generate options, and nothing is sent.</summary>
internal static class OfflineCommands
{
    public static Command Validate(CliContext context)
    {
        var options = new RequestOptions();
        var command = new Command("validate", "Check a request against the vendor's and model's rules. Nothing is sent.");
        options.AddTo(command);
        command.SetAction(result =>
        {
            var o = context.CreateOutput(result.GetValue(options.Json));
            try
            {
                var vendor = options.ResolveVendor(result);
                var request = options.ToRequest(result);
                VideoRequestValidation.EnsureValid(vendor, request);
                o.Info($"[green]valid[/] for {vendor.DisplayName} {request.Model ?? vendor.DefaultModel}; nothing was sent.");
                o.Document(new { ok = true, vendor = vendor.Id, model = request.Model ?? vendor.DefaultModel });
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is VideoGenValidationException or CliUsageException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    public static Command Price(CliContext context)
    {
        var options = new RequestOptions();
        var command = new Command("price", "Estimate what a request would cost, in the vendor's unit. Nothing is sent.");
        options.AddTo(command);
        command.SetAction(result =>
        {
            var o = context.CreateOutput(result.GetValue(options.Json));
            try
            {
                var vendor = options.ResolveVendor(result);
                var request = options.ToRequest(result);
                VideoRequestValidation.EnsureValid(vendor, request);
                var estimate = PriceCalculator.Estimate(vendor, request);
                o.Info($"{Spectre.Console.Markup.Escape(vendor.DisplayName)} {Spectre.Console.Markup.Escape(estimate.ModelId)}: [bold]{Spectre.Console.Markup.Escape(estimate.ToString())}[/]");
                o.Document(PriceDocument(estimate));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is VideoGenValidationException or CliUsageException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    public static object PriceDocument(PriceEstimate estimate) => new
    {
        vendor = estimate.VendorId,
        model = estimate.ModelId,
        unit = estimate.Unit,
        min = estimate.Min,
        max = estimate.Max,
        exact = estimate.IsExact,
        known = estimate.IsKnown,
        reason = estimate.Reason,
    };
}
