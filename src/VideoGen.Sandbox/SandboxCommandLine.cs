using System.Globalization;

namespace VideoGen.Sandbox;

/// <summary>The result of reading the command line and environment.</summary>
/// <param name="Options">The options (defaults, then environment variables, then arguments).</param>
/// <param name="Errors">Every problem found, each naming the argument or variable, its value and what is allowed.</param>
/// <param name="ShowHelp">Whether <c>--help</c> was given.</param>
internal sealed record SandboxCommandLineResult(SandboxOptions Options, IReadOnlyList<string> Errors, bool ShowHelp);

/// <summary>Reads a standalone sandbox's options from environment variables and command-line arguments (arguments win).</summary>
internal static class SandboxCommandLine
{
    public const string Usage = """
        VideoGen sandbox: every vendor contract on one loopback port.

        Usage: dotnet run --project src/VideoGen.Sandbox -- [options]

          --urls URL                      where to listen, e.g. http://127.0.0.1:5080 (default http://127.0.0.1:0, a free port)
          --time-scale F                  factor on every vendor duration; 0.01 = 100x faster, 0 = instant (default 1)  [VIDEOGEN_SANDBOX_TIME_SCALE]
          --seed N                        seed of every random draw (default 1)  [VIDEOGEN_SANDBOX_SEED]
          --failure-rate P                share of jobs that fail, 0..1 (default 0)  [VIDEOGEN_SANDBOX_FAILURE_RATE]
          --credits VENDOR=AMOUNT         starting credits of every key at a vendor (repeatable), e.g. --credits elumenta=100
          --api-key KEY                   accept only this key (repeatable; default: any non-empty bearer token)
          --fault-rate-limit P            share of requests answered 429 + Retry-After  [VIDEOGEN_SANDBOX_FAULT_RATE_LIMIT]
          --fault-server-error P          share of requests answered 500  [VIDEOGEN_SANDBOX_FAULT_SERVER_ERROR]
          --fault-unavailable P           share of requests answered 503 + Retry-After  [VIDEOGEN_SANDBOX_FAULT_UNAVAILABLE]
          --fault-drop P                  share of accepted submissions whose connection is aborted after the job was created  [VIDEOGEN_SANDBOX_FAULT_DROP]
          --fault-slow P                  share of requests delayed  [VIDEOGEN_SANDBOX_FAULT_SLOW]
          --fault-slow-delay-ms N         the delay of a slow request (default 2000)  [VIDEOGEN_SANDBOX_FAULT_SLOW_DELAY_MS]
          --fault-retry-after-seconds N   Retry-After of injected 429/503 (default 1)  [VIDEOGEN_SANDBOX_FAULT_RETRY_AFTER_SECONDS]
          --help                          this text

        Vendors: elumenta (also neuralbox) at /api/v2/generate, apiframe (also: gateway) at /v2/videos/generate, /v2/jobs/{id} and /v2/jobs,
        aimlapi at /v2/generate/video/luma-ai/..., oxen at /api/ai/.... Sandbox endpoints: /_sandbox/counters,
        /_sandbox/credits, /_sandbox/jobs.
        """;

    public static SandboxCommandLineResult Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new SandboxOptions();
        var errors = new List<string>();
        var acceptedKeys = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (variable, apply) in Settings(options))
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                apply(value, $"environment variable {variable}", errors);
            }
        }

        var flags = Settings(options).ToDictionary(s => FlagOf(s.Variable), s => s.Apply, StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return new SandboxCommandLineResult(options, errors, ShowHelp: true);
            }

            string name = arg, value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && arg.StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                errors.Add(arg.StartsWith("--", StringComparison.Ordinal) ? $"{arg} needs a value." : $"Unexpected argument '{arg}'; options start with --.");
                continue;
            }

            switch (name)
            {
                case "--urls":
                    ApplyUrls(options, value, errors);
                    break;
                case "--credits":
                    ApplyCredits(options, value, errors);
                    break;
                case "--api-key":
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        errors.Add("--api-key needs a non-empty key.");
                    }
                    else
                    {
                        acceptedKeys.Add(value);
                    }

                    break;
                default:
                    if (flags.TryGetValue(name, out var apply))
                    {
                        apply(value, name, errors);
                    }
                    else
                    {
                        errors.Add($"Unknown option '{name}'.");
                    }

                    break;
            }
        }

        if (acceptedKeys.Count > 0)
        {
            options.AcceptedApiKeys = acceptedKeys;
        }

        if (errors.Count == 0)
        {
            errors.AddRange(options.Validate());
        }

        return new SandboxCommandLineResult(options, errors, ShowHelp: false);
    }

    /// <summary>VIDEOGEN_SANDBOX_FAULT_SLOW_DELAY_MS → --fault-slow-delay-ms.</summary>
    private static string FlagOf(string variable) => "--" + variable["VIDEOGEN_SANDBOX_".Length..].ToLowerInvariant().Replace('_', '-');

    private static IEnumerable<(string Variable, Action<string, string, List<string>> Apply)> Settings(SandboxOptions o)
    {
        yield return (SandboxOptions.TimeScaleEnvironmentVariable, (v, source, e) => Number(v, source, e, x => o.TimeScale = x, "a number >= 0, e.g. 0.01"));
        yield return (SandboxOptions.SeedEnvironmentVariable, (v, source, e) => Integer(v, source, e, x => o.Seed = x));
        yield return (SandboxOptions.FailureRateEnvironmentVariable, (v, source, e) => Number(v, source, e, x => o.FailureRate = x, "a probability from 0 to 1"));
        yield return (SandboxFaultOptions.RateLimitRateEnvironmentVariable, (v, source, e) => Number(v, source, e, x => o.Faults.RateLimitRate = x, "a probability from 0 to 1"));
        yield return (SandboxFaultOptions.ServerErrorRateEnvironmentVariable, (v, source, e) => Number(v, source, e, x => o.Faults.ServerErrorRate = x, "a probability from 0 to 1"));
        yield return (SandboxFaultOptions.ServiceUnavailableRateEnvironmentVariable, (v, source, e) => Number(v, source, e, x => o.Faults.ServiceUnavailableRate = x, "a probability from 0 to 1"));
        yield return (SandboxFaultOptions.DropAfterAcceptRateEnvironmentVariable, (v, source, e) => Number(v, source, e, x => o.Faults.DropAfterAcceptRate = x, "a probability from 0 to 1"));
        yield return (SandboxFaultOptions.SlowResponseRateEnvironmentVariable, (v, source, e) => Number(v, source, e, x => o.Faults.SlowResponseRate = x, "a probability from 0 to 1"));
        yield return (SandboxFaultOptions.SlowResponseDelayEnvironmentVariable, (v, source, e) => Integer(v, source, e, x => o.Faults.SlowResponseDelay = TimeSpan.FromMilliseconds(x)));
        yield return (SandboxFaultOptions.CreateLatencyEnvironmentVariable, (v, source, e) => Integer(v, source, e, x => o.Faults.CreateLatency = TimeSpan.FromMilliseconds(x)));
        yield return (SandboxFaultOptions.RetryAfterEnvironmentVariable, (v, source, e) => Integer(v, source, e, x => o.Faults.RetryAfter = TimeSpan.FromSeconds(x)));
    }

    private static void ApplyUrls(SandboxOptions options, string value, List<string> errors)
    {
        if (value.Contains(';', StringComparison.Ordinal))
        {
            errors.Add($"--urls '{value}' lists several URLs; the sandbox listens on one, e.g. http://127.0.0.1:5080.");
            return;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
        {
            errors.Add($"--urls '{value}' is not allowed; use http://HOST:PORT with an IP address or localhost, e.g. http://127.0.0.1:5080.");
            return;
        }

        options.Host = uri.Host.Trim('[', ']');
        options.Port = uri.Port;
    }

    private static void ApplyCredits(SandboxOptions options, string value, List<string> errors)
    {
        var parts = value.Split('=', 2);
        if (parts.Length != 2
            || SandboxVendors.TryNormalize(parts[0]) is null
            || !decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            || amount < 0)
        {
            errors.Add($"--credits '{value}' is not allowed; use VENDOR=AMOUNT with a vendor of {string.Join(", ", SandboxVendors.All)} and an amount >= 0, e.g. --credits elumenta=100.");
            return;
        }

        options.InitialCredits[SandboxVendors.Normalize(parts[0])] = amount;
    }

    private static void Number(string value, string source, List<string> errors, Action<double> apply, string allowed)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            apply(number);
        }
        else
        {
            errors.Add($"{source} '{value}' is not a number; use {allowed}.");
        }
    }

    private static void Integer(string value, string source, List<string> errors, Action<int> apply)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            apply(number);
        }
        else
        {
            errors.Add($"{source} '{value}' is not allowed; use a whole number >= 0.");
        }
    }
}
