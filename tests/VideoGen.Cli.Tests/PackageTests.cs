using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using VideoGen.Cli.Tests.Infrastructure;

namespace VideoGen.Cli.Tests;

/// <summary>
/// Packs the videogen tool and the VideoGen library once (Release, into a temp folder, with its own build
/// output so the repository's bin/obj are untouched), then installs the tool from that folder alone.
/// </summary>
public sealed partial class PackagesFixture : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(8);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "videogen-pack-tests", Guid.NewGuid().ToString("N"));

    public string Packages => Path.Combine(Root, "pkgs");

    public string ToolPath => Path.Combine(Root, "tools");

    public string Videogen => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "videogen.exe" : "videogen");

    public ProcessRunner.Result PackTool { get; private set; } = null!;

    public ProcessRunner.Result? PackLibrary { get; private set; }

    public ProcessRunner.Result? Install { get; private set; }

    public string? ToolVersion { get; private set; }

    /// <summary>What every child process runs with: no vendor key (the embedded sandbox is used), a private home, no first-run noise.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal)
    {
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["ELUMENTA_API_KEY"] = null,
        ["NEURALBOX_API_KEY"] = null,
        ["GATEWAY_API_KEY"] = null,
        ["AIMLAPI_API_KEY"] = null,
        ["OXEN_API_KEY"] = null,
        ["VIDEOGEN_SANDBOX_CREDITS"] = null,
        ["VIDEOGEN_SANDBOX_FAILURE_RATE"] = null,
        ["VIDEOGEN_SANDBOX_TIME_SCALE"] = CliHarness.FastTimeScale,
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Environment["VIDEOGEN_HOME"] = Path.Combine(Root, "home");
        var artifacts = Path.Combine(Root, "artifacts");

        PackTool = await DotnetAsync("pack", Repo.Path("src", "VideoGen.Cli", "VideoGen.Cli.csproj"), "-c", "Release", "-o", Packages, "--artifacts-path", artifacts, "-nodeReuse:false");
        if (PackTool.ExitCode != 0)
        {
            return;
        }

        // The CLI's pack built the library in Release into the same artifacts: pack it without building again.
        PackLibrary = await DotnetAsync("pack", Repo.Path("src", "VideoGen", "VideoGen.csproj"), "-c", "Release", "-o", Packages, "--artifacts-path", artifacts, "--no-build");
        foreach (var split in new[] { "VideoGen.Abstractions", "VideoGen.Clients" })
        {
            if (PackLibrary.ExitCode == 0)
            {
                PackLibrary = await DotnetAsync("pack", Repo.Path("src", split, split + ".csproj"), "-c", "Release", "-o", Packages, "--artifacts-path", artifacts, "--no-build");
            }
        }

        var tool = Directory.GetFiles(Packages, "VideoGen.Cli.*.nupkg").SingleOrDefault();
        ToolVersion = tool is null ? null : ToolVersionPattern().Match(Path.GetFileName(tool)).Groups[1].Value;
        if (ToolVersion is not null)
        {
            // Only the local folder as a source: the tool package must carry everything it needs.
            Install = await DotnetAsync("tool", "install", "--tool-path", ToolPath, "VideoGen.Cli", "--source", Packages, "--version", ToolVersion);
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }

        return Task.CompletedTask;
    }

    public Task<ProcessRunner.Result> RunToolAsync(params string[] args) => ProcessRunner.RunAsync(Videogen, args, Root, TimeSpan.FromMinutes(2), Environment);

    private Task<ProcessRunner.Result> DotnetAsync(params string[] args) => ProcessRunner.RunAsync("dotnet", args, Repo.Root, CommandTimeout, Environment);

    [GeneratedRegex(@"^VideoGen\.Cli\.(.+)\.nupkg$")]
    private static partial Regex ToolVersionPattern();
}

/// <summary>The packages <c>dotnet pack</c> makes: the videogen tool installs and runs; the library carries docs, README and symbols.</summary>
public sealed class PackageTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    [Fact]
    public async Task ToolPackage_InstalledFromLocalFolder_ListsModels()
    {
        Installed();

        var run = await packages.RunToolAsync("models");

        run.ExitCode.ShouldBe(0, run.All);
        run.StandardOutput.ShouldContain("kling-v2.1");
        run.StandardOutput.ShouldContain("ray-2");
        run.StandardOutput.ShouldNotContain("\u001b[", customMessage: "redirected output carries no ANSI escapes");
    }

    [Fact]
    public async Task ToolPackage_InstalledTool_GeneratesOnEmbeddedSandbox()
    {
        // The embedded sandbox runs on ASP.NET Core: this fails unless the tool's runtimeconfig brings that shared framework.
        Installed();
        var output = Path.Combine(packages.Root, "videos");

        var run = await packages.RunToolAsync("generate", "A windmill in a storm", "--vendor", "aimlapi", "--out", output, "--json");

        run.ExitCode.ShouldBe(0, run.All);
        var json = Newtonsoft.Json.Linq.JObject.Parse(run.StandardOutput);
        ((bool)json["sandbox"]!).ShouldBeTrue();
        GenerateCommandTests.ShouldBeMp4((string)json["file"]!);
    }

    [Theory]
    [InlineData(new[] { "generate", "A cat", "--duration", "7" }, "--duration: '7' is not allowed")]
    [InlineData(new[] { "generate" }, "Required argument 'prompt' missing")]
    public async Task ToolPackage_InvalidInput_ProcessExitsTwo(string[] args, string expected)
    {
        Installed();

        var run = await packages.RunToolAsync(args);

        run.ExitCode.ShouldBe(2, run.All);
        run.All.ShouldContain(expected);
    }

    [Fact]
    public void ToolPackage_Nupkg_IsDotnetToolNamedVideogenWithAspNetCore()
    {
        packages.PackTool.ExitCode.ShouldBe(0, packages.PackTool.All);
        using var zip = ZipFile.OpenRead(Directory.GetFiles(packages.Packages, "VideoGen.Cli.*.nupkg").ShouldHaveSingleItem());

        var nuspec = Read(zip, "VideoGen.Cli.nuspec");
        nuspec.ShouldContain("<id>VideoGen.Cli</id>");
        nuspec.ShouldContain("<packageType name=\"DotnetTool\" />");
        nuspec.ShouldContain("<readme>README.md</readme>");
        zip.GetEntry("README.md").ShouldNotBeNull();

        var settings = XDocument.Parse(Read(zip, "tools/net10.0/any/DotnetToolSettings.xml"));
        var command = settings.Descendants("Command").ShouldHaveSingleItem();
        command.Attribute("Name")!.Value.ShouldBe("videogen");
        command.Attribute("EntryPoint")!.Value.ShouldBe("VideoGen.Cli.dll");

        var runtimeConfig = Read(zip, "tools/net10.0/any/VideoGen.Cli.runtimeconfig.json");
        runtimeConfig.ShouldContain("\"Microsoft.AspNetCore.App\"");
        zip.GetEntry("tools/net10.0/any/VideoGen.Sandbox.dll").ShouldNotBeNull();
    }

    [Fact]
    public void LibraryPackage_Nupkg_HasXmlDocsReadmeAndSymbols()
    {
        packages.PackTool.ExitCode.ShouldBe(0, packages.PackTool.All);
        packages.PackLibrary.ShouldNotBeNull();
        packages.PackLibrary.ExitCode.ShouldBe(0, packages.PackLibrary.All);

        var nupkg = Directory.GetFiles(packages.Packages, "VideoGen.*.nupkg").Where(p => Regex.IsMatch(Path.GetFileName(p), @"^VideoGen\.\d")).ShouldHaveSingleItem();
        using (var zip = ZipFile.OpenRead(nupkg))
        {
            zip.GetEntry("lib/net10.0/VideoGen.dll").ShouldNotBeNull();
            zip.GetEntry("lib/net10.0/VideoGen.xml").ShouldNotBeNull();
            Read(zip, "README.md").ShouldContain("What this package adds", customMessage: "the package's own README, not the repository's (its relative links do not resolve on nuget.org)");
            var nuspec = Read(zip, "VideoGen.nuspec");
            nuspec.ShouldContain("<id>VideoGen</id>");
            nuspec.ShouldContain("<readme>README.md</readme>");
            nuspec.ShouldContain("id=\"Newtonsoft.Json\"");
            nuspec.ShouldContain("id=\"VideoGen.Abstractions\"");
            nuspec.ShouldContain("id=\"VideoGen.Clients\"");
            nuspec.ShouldNotContain("SourceLink", customMessage: "SourceLink is a build-time reference, not a dependency");
            Read(zip, "lib/net10.0/VideoGen.xml").ShouldContain("T:VideoGen.IVideoGenerator");
        }

        var snupkg = Path.ChangeExtension(nupkg, ".snupkg");
        File.Exists(snupkg).ShouldBeTrue(snupkg);
        using var symbols = ZipFile.OpenRead(snupkg);
        symbols.GetEntry("lib/net10.0/VideoGen.pdb").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("VideoGen.Abstractions", new string[0])]
    [InlineData("VideoGen.Clients", new[] { "VideoGen.Abstractions", "Newtonsoft.Json" })]
    public void SplitPackage_Nuspec_DependsOnlyOnItsLayer(string id, string[] dependencies)
    {
        // Issue 15: the typed clients and the neutral interface pull no SQLite, Polly or FluentValidation.
        packages.PackLibrary.ShouldNotBeNull();
        packages.PackLibrary.ExitCode.ShouldBe(0, packages.PackLibrary.All);
        var nupkg = Directory.GetFiles(packages.Packages, id + ".*.nupkg").Where(p => Regex.IsMatch(Path.GetFileName(p), "^" + Regex.Escape(id) + @"\.\d")).ShouldHaveSingleItem();
        using var zip = ZipFile.OpenRead(nupkg);
        zip.GetEntry($"lib/net10.0/{id}.dll").ShouldNotBeNull();
        zip.GetEntry($"lib/net10.0/{id}.xml").ShouldNotBeNull();
        zip.GetEntry("README.md").ShouldNotBeNull();
        var nuspec = XDocument.Parse(Read(zip, id + ".nuspec"));
        nuspec.Descendants().Single(e => e.Name.LocalName == "license").Value.ShouldBe("MIT");
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Distinct()
            .ShouldBe(dependencies, ignoreOrder: true);
        File.Exists(Path.ChangeExtension(nupkg, ".snupkg")).ShouldBeTrue("symbols for SourceLink");
    }

    private void Installed()
    {
        packages.PackTool.ExitCode.ShouldBe(0, packages.PackTool.All);
        packages.ToolVersion.ShouldNotBeNullOrWhiteSpace();
        packages.Install.ShouldNotBeNull();
        packages.Install.ExitCode.ShouldBe(0, packages.Install.All);
        File.Exists(packages.Videogen).ShouldBeTrue(packages.Videogen);
    }

    private static string Read(ZipArchive zip, string entry)
    {
        var found = zip.GetEntry(entry);
        found.ShouldNotBeNull($"{entry} is not in the package; it has {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var reader = new StreamReader(found.Open());
        return reader.ReadToEnd();
    }
}
