using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace VideoGen.Cli;

/// <summary>Checks on option values that System.CommandLine reports as parse errors (exit code 2).</summary>
internal static class CliOptions
{
    /// <summary>Refuses a value below 1 (instead of quietly using 1), naming the option, the value and what is allowed.</summary>
    public static Option<int> AtLeastOne(Option<int> option, string allowed) => RefuseBelow(option, 1, NumberStyles.Integer, allowed);

    /// <summary>
    /// Reads a duration: whole or decimal seconds (<c>90</c>, <c>1.5</c>), or a number with a unit <c>s</c>, <c>m</c> or
    /// <c>h</c> (<c>90s</c>, <c>2m</c>, <c>1.5m</c>, <c>1h</c>). Anything else, and anything under 1 second, is a parse
    /// error naming the option, the value and what is allowed.
    /// </summary>
    public static Option<TimeSpan?> Duration(Option<TimeSpan?> option)
    {
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (TryParseDuration(text, out var value) && value >= TimeSpan.FromSeconds(1))
            {
                return value;
            }

            result.AddError($"{option.Name}: '{text}' is not allowed; use a duration of 1 second or more: seconds (90), or 90s, 2m, 1.5m, 1h.");
            return null;
        };
        return option;
    }

    /// <summary>Parses <c>90</c>, <c>1.5</c>, <c>90s</c>, <c>2m</c>, <c>1.5m</c>, <c>1h</c> (invariant culture).</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim().ToLowerInvariant();
        var unit = text.Length > 0 && text[^1] is 's' or 'm' or 'h' ? text[^1] : 's';
        var number = text.Length > 0 && char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || !double.IsFinite(amount)
            || (text.Length > 0 && char.IsLetter(text[^1]) && text[^1] is not ('s' or 'm' or 'h')))
        {
            return false;
        }

        var seconds = amount * unit switch { 'm' => 60, 'h' => 3600, _ => 1 };
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Refuses a negative amount (a budget), naming the option, the value and what is allowed.</summary>
    public static Option<decimal?> NotNegative(Option<decimal?> option, string allowed) => RefuseBelow(option, 0m, NumberStyles.Number, allowed);

    /// <summary>Refuses a number below <paramref name="minimum"/>, naming the option, the value and what is allowed.</summary>
    private static Option<TOption> RefuseBelow<TOption, TNumber>(Option<TOption> option, TNumber minimum, NumberStyles styles, string allowed)
        where TNumber : INumber<TNumber>
    {
        option.Validators.Add(result =>
        {
            // A value that is not a number at all already has System.CommandLine's own error.
            if (result.Tokens.Count > 0
                && TNumber.TryParse(result.Tokens[^1].Value, styles, CultureInfo.InvariantCulture, out var value)
                && value < minimum)
            {
                result.AddError($"{option.Name}: '{value}' is not allowed; use {allowed}.");
            }
        });
        return option;
    }
}
