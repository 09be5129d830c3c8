using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace VideoGen.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for tests: <c>initdb</c> into a temp directory, <c>pg_ctl start</c> on a free
/// loopback port, one fresh database per caller, and everything stopped and deleted at the end. It runs the
/// machine's PostgreSQL 15 server binaries (found on <c>PG_BIN</c>, then <c>/usr/lib/postgresql/*/bin</c>), as the
/// <c>postgres</c> user when the tests run as root (the server refuses to run as root). A watchdog process stops
/// the cluster and deletes its directory if the test process dies without disposing it (a killed test host).
/// </summary>
public sealed class PostgresCluster
#if !VIDEOGEN_NO_XUNIT
    : IAsyncLifetime
#endif
{
    private string? _directory;
    private string? _bin;
    private string? _startOptions;
    private Process? _watchdog;
    private int _databases;

    /// <summary>The port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>A connection string to the maintenance database <c>postgres</c>.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=30";

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=30;Maximum Pool Size=50";
    }

    public async Task InitializeAsync()
    {
        _bin = FindBin();
        _directory = Directory.CreateTempSubdirectory("videogen-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", _directory);
        }

        var data = Path.Combine(_directory, "data");
        await RunAsPostgresAsync(asRoot, Path.Combine(_bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C");
        Port = FreePort();

        // fsync off: a test cluster is thrown away; durability against power loss is not what these tests measure.
        var options = $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories={_directory} -c fsync=off -c max_connections=300 -c shared_buffers=32MB";
        _startOptions = options;
        await RunAsPostgresAsync(asRoot, Path.Combine(_bin, "pg_ctl"), "-D", data, "-o", options, "-l", Path.Combine(_directory, "log"), "-w", "-t", "60", "start");
        StartWatchdog(asRoot, data);
    }

    /// <summary>Stops the server (every connection is cut), keeps it down for <paramref name="down"/>, then starts it again on the same port.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        var asRoot = Environment.UserName == "root";
        var data = Path.Combine(_directory!, "data");
        await RunAsPostgresAsync(asRoot, Path.Combine(_bin!, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop");
        await Task.Delay(down);
        await RunAsPostgresAsync(asRoot, Path.Combine(_bin!, "pg_ctl"), "-D", data, "-o", _startOptions!, "-l", Path.Combine(_directory!, "log"), "-w", "-t", "60", "start");
    }

    public async Task DisposeAsync()
    {
        if (_directory is null || _bin is null)
        {
            return;
        }

        try
        {
            await RunAsPostgresAsync(Environment.UserName == "root", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            try
            {
                _watchdog?.Kill();
            }
            catch (InvalidOperationException)
            {
            }

            Directory.Delete(_directory, recursive: true);
            _directory = null;
        }
    }

    private void StartWatchdog(bool asRoot, string data)
    {
        // Outlives a killed test host: once this process is gone, stop the server and remove its files.
        var stop = asRoot
            ? $"runuser -u postgres -- '{_bin}/pg_ctl' -D '{data}' -m immediate stop"
            : $"'{_bin}/pg_ctl' -D '{data}' -m immediate stop";
        var script = $"while [ -d /proc/{Environment.ProcessId} ]; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{_directory}'";
        var start = new ProcessStartInfo("setsid", ["sh", "-c", script]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        _watchdog = Process.Start(start);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBin()
    {
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException("PostgreSQL server binaries not found: install postgresql-15 (apt-get install postgresql-15) or set PG_BIN.");
    }

    private static Task RunAsPostgresAsync(bool asRoot, string file, params string[] args) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}

#if !VIDEOGEN_NO_XUNIT
/// <summary>Every test class that needs PostgreSQL shares one cluster per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
#endif
