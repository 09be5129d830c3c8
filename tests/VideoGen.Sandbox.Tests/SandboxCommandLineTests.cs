namespace VideoGen.Sandbox.Tests;

public sealed class SandboxCommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Parse_NoArguments_Defaults()
    {
        var result = SandboxCommandLine.Parse([], NoEnvironment);

        result.Errors.ShouldBeEmpty();
        result.Options.Host.ShouldBe("127.0.0.1");
        result.Options.Port.ShouldBe(0);
        result.Options.TimeScale.ShouldBe(1);
        result.Options.Faults.Any.ShouldBeFalse();
    }

    [Fact]
    public void Parse_EveryOption_SetsIt()
    {
        var result = SandboxCommandLine.Parse(
        [
            "--urls", "http://127.0.0.1:5080", "--time-scale", "0.01", "--seed=9", "--failure-rate", "0.1",
            "--credits", "elumenta=30", "--credits=neuralbox=40", "--api-key", "k1", "--api-key", "k2",
            "--fault-rate-limit", "0.1", "--fault-server-error", "0.2", "--fault-unavailable", "0.05", "--fault-drop", "0.3",
            "--fault-slow", "0.4", "--fault-slow-delay-ms", "250", "--fault-retry-after-seconds", "3",
        ], NoEnvironment);

        result.Errors.ShouldBeEmpty();
        var o = result.Options;
        (o.Host, o.Port, o.TimeScale, o.Seed, o.FailureRate).ShouldBe(("127.0.0.1", 5080, 0.01, 9, 0.1));
        o.InitialCredits["elumenta"].ShouldBe(40, "neuralbox is elumenta; the later value wins");
        o.AcceptedApiKeys!.ShouldBe(["k1", "k2"], ignoreOrder: true);
        (o.Faults.RateLimitRate, o.Faults.ServerErrorRate, o.Faults.ServiceUnavailableRate, o.Faults.DropAfterAcceptRate, o.Faults.SlowResponseRate)
            .ShouldBe((0.1, 0.2, 0.05, 0.3, 0.4));
        o.Faults.SlowResponseDelay.ShouldBe(TimeSpan.FromMilliseconds(250));
        o.Faults.RetryAfter.ShouldBe(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Parse_EnvironmentVariables_AreReadAndArgumentsWin()
    {
        var environment = new Dictionary<string, string>
        {
            ["VIDEOGEN_SANDBOX_TIME_SCALE"] = "0.5",
            ["VIDEOGEN_SANDBOX_SEED"] = "3",
            ["VIDEOGEN_SANDBOX_FAULT_DROP"] = "0.25",
        };

        var fromEnvironment = SandboxCommandLine.Parse([], environment.GetValueOrDefault);
        var overridden = SandboxCommandLine.Parse(["--time-scale", "0.02"], environment.GetValueOrDefault);

        fromEnvironment.Options.TimeScale.ShouldBe(0.5);
        fromEnvironment.Options.Seed.ShouldBe(3);
        fromEnvironment.Options.Faults.DropAfterAcceptRate.ShouldBe(0.25);
        overridden.Options.TimeScale.ShouldBe(0.02);
    }

    [Theory]
    [InlineData(new[] { "--time-scale", "fast" }, "--time-scale 'fast' is not a number; use a number >= 0, e.g. 0.01.")]
    [InlineData(new[] { "--time-scale", "-2" }, "TimeScale -2 is not allowed")]
    [InlineData(new[] { "--urls", "https://127.0.0.1:5080" }, "--urls 'https://127.0.0.1:5080' is not allowed")]
    [InlineData(new[] { "--urls", "http://127.0.0.1:1;http://127.0.0.1:2" }, "lists several URLs")]
    [InlineData(new[] { "--credits", "runway=5" }, "--credits 'runway=5' is not allowed; use VENDOR=AMOUNT")]
    [InlineData(new[] { "--fault-drop", "2" }, "Faults.DropAfterAcceptRate 2 is not allowed")]
    [InlineData(new[] { "--bogus", "1" }, "Unknown option '--bogus'.")]
    [InlineData(new[] { "--seed" }, "--seed needs a value.")]
    [InlineData(new[] { "stray" }, "Unexpected argument 'stray'")]
    public void Parse_InvalidArgument_ReportsItWithTheAllowedValues(string[] args, string error)
    {
        var result = SandboxCommandLine.Parse(args, NoEnvironment);

        result.Errors.ShouldContain(e => e.Contains(error), string.Join("\n", result.Errors));
    }

    [Fact]
    public void Parse_InvalidEnvironmentVariable_NamesIt()
    {
        var result = SandboxCommandLine.Parse([], name => name == "VIDEOGEN_SANDBOX_TIME_SCALE" ? "x" : null);

        result.Errors.ShouldContain("environment variable VIDEOGEN_SANDBOX_TIME_SCALE 'x' is not a number; use a number >= 0, e.g. 0.01.");
    }

    [Fact]
    public void Parse_Help_ShowsHelp()
    {
        SandboxCommandLine.Parse(["--help"], NoEnvironment).ShowHelp.ShouldBeTrue();
        SandboxCommandLine.Usage.ShouldContain("--time-scale");
    }
}
