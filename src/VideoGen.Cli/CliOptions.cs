using System.CommandLine;
using System.Globalization;

namespace VideoGen.Cli;

/// <summary>Checks on option values that System.CommandLine reports as parse errors (exit code 2).</summary>
internal static class CliOptions
{
    /// <summary>Refuses a value below 1 (instead of quietly using 1), naming the option, the value and what is allowed.</summary>
    public static Option<int> AtLeastOne(Option<int> option, string allowed)
    {
        option.Validators.Add(result =>
        {
            // A value that is not a number at all already has System.CommandLine's own error.
            if (result.Tokens.Count > 0
                && int.TryParse(result.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && value < 1)
            {
                result.AddError($"{option.Name}: '{value}' is not allowed; use {allowed}.");
            }
        });
        return option;
    }
}
