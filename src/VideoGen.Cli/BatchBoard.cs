using System.Diagnostics;
using Spectre.Console;
using VideoGen.Waiting;

namespace VideoGen.Cli;

/// <summary>
/// What <c>videogen batch</c> shows while it runs: in a terminal, a live table on standard error with one row per line
/// (submitted, status, elapsed, file), redrawn four times a second; elsewhere (a pipe, a file, --json) plain lines on
/// standard error as each line is submitted and ends. The results themselves go to standard output at the end
/// (<see cref="WriteResults"/>): a table in a terminal, one line per line of the file otherwise.
/// </summary>
internal sealed class BatchBoard
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    private readonly Output _output;
    private readonly object _gate = new();
    private readonly SortedDictionary<int, Row> _rows = [];

    public BatchBoard(Output output, IEnumerable<(int Line, string Vendor, string? Model)> lines)
    {
        _output = output;
        foreach (var (line, vendor, model) in lines)
        {
            _rows[line] = new Row(line, $"{vendor} {model}".Trim());
        }

        IsLive = !output.IsJson && output.Console.Profile.Capabilities.Interactive && output.Console.Profile.Capabilities.Ansi;
    }

    /// <summary>Whether the live table is drawn (a terminal); otherwise plain lines.</summary>
    public bool IsLive { get; }

    /// <summary>Lines whose job id is known (submitted by this run or an earlier one).</summary>
    public int WithJob
    {
        get
        {
            lock (_gate)
            {
                return _rows.Values.Count(r => r.JobId is not null && !r.Done);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> with the live table on screen (in a terminal), or just runs it.</summary>
    public async Task<T> ShowWhileAsync<T>(Func<Task<T>> work)
    {
        if (!IsLive)
        {
            return await work().ConfigureAwait(false);
        }

        // The final state is printed as the results (standard output), so the live table clears itself at the end.
        return await _output.Console.Live(Render()).AutoClear(true).Overflow(VerticalOverflow.Ellipsis).Cropping(VerticalOverflowCropping.Top)
            .StartAsync(async context =>
            {
                var running = work();
                while (await Task.WhenAny(running, Task.Delay(Refresh)).ConfigureAwait(false) != running)
                {
                    context.UpdateTarget(Render());
                }

                context.UpdateTarget(Render());
                return await running.ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>The line got its turn (a concurrency slot).</summary>
    public void Started(int line) => Update(line, r =>
    {
        r.Clock.Start();
        r.Status = "submitting";
    });

    /// <summary>The line has a job: submitted now, or by an earlier run (<paramref name="resumed"/>: not submitted again).</summary>
    public void Submitted(int line, string jobId, string? status, bool resumed)
    {
        Update(line, r =>
        {
            r.JobId = jobId;
            r.Resumed = resumed;
            r.Status = status ?? "submitted";
        });
        Plain($"line {line}: {(resumed ? "submitted by an earlier run, not again:" : "submitted")} job {jobId}");
    }

    /// <summary>A poll of the line's job.</summary>
    public void Polled(int line, JobUpdate update) => Update(line, r =>
        r.Status = $"{update.Job.VendorStatus ?? update.Status.ToString()}{(update.Progress is { } p ? $" {p:P0}" : string.Empty)}");

    /// <summary>The line's video is being downloaded.</summary>
    public void Downloading(int line) => Update(line, r => r.Status = "downloading");

    /// <summary>The line ended.</summary>
    public void Finished(BatchCommand.LineOutcome outcome)
    {
        Update(outcome.Line, r =>
        {
            r.Clock.Stop();
            r.Done = true;
            r.Outcome = outcome;
            r.JobId ??= outcome.JobId;
            r.Resumed |= outcome.Resumed;
            r.Status = outcome.Kind switch { "Succeeded" => "succeeded", var kind => kind.ToLowerInvariant() };
            r.File = outcome.File;
        });
        Plain($"line {outcome.Line}: {outcome.Summary}");
    }

    /// <summary>The results on standard output: a table when it is a terminal, otherwise one plain line per line of the file.</summary>
    public void WriteResults()
    {
        if (_output.IsJson)
        {
            return;
        }

        if (_output.Results.Profile.Capabilities.Interactive)
        {
            _output.Results.Write(Render(final: true));
            return;
        }

        List<Row> rows;
        lock (_gate)
        {
            rows = [.. _rows.Values];
        }

        foreach (var row in rows)
        {
            _output.Result($"  line {row.Line,4}: {E(row.Outcome?.Summary ?? row.Status)}");
        }
    }

    private void Plain(string line)
    {
        if (!IsLive)
        {
            _output.Info($"  {E(line)}");
        }
    }

    private void Update(int line, Action<Row> change)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue(line, out var row))
            {
                change(row);
            }
        }
    }

    private Table Render(bool final = false)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("line").RightAligned())
            .AddColumn("model")
            .AddColumn(new TableColumn("submitted").NoWrap())
            .AddColumn("status")
            .AddColumn(new TableColumn("elapsed").RightAligned())
            .AddColumn("file");
        lock (_gate)
        {
            var rows = _rows.Values.ToList();
            var room = final ? rows.Count : Math.Max(5, _output.Console.Profile.Height - 8);
            var shown = rows.Count <= room ? rows : Window(rows, room);
            foreach (var r in shown)
            {
                table.AddRow(
                    r.Line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    E(r.Model),
                    r.JobId is null ? "[grey]-[/]" : E(r.Resumed ? $"{r.JobId} (earlier run)" : r.JobId),
                    Colour(r),
                    r.Clock.Elapsed == TimeSpan.Zero ? "[grey]-[/]" : $"{r.Clock.Elapsed.TotalSeconds:0} s",
                    E(r.File ?? (r.Outcome?.Error is { } error ? Short(error) : string.Empty)));
            }

            var done = rows.Count(r => r.Done);
            var active = rows.Count(r => !r.Done && r.Clock.IsRunning);
            var skipped = rows.Where(r => r.Resumed).Select(r => r.Line).ToList();
            table.Caption($"{done}/{rows.Count} done, {active} running, {rows.Count - done - active} waiting"
                + (skipped.Count == 0 ? string.Empty : $"; not submitted again (an earlier run did): line{(skipped.Count == 1 ? string.Empty : "s")} {E(string.Join(", ", skipped))}"));
        }

        return table;
    }

    /// <summary>Too many lines for the screen: the running ones first, then those that ended, then those still waiting, in line order.</summary>
    private static List<Row> Window(List<Row> rows, int room) =>
        [.. rows.Where(r => !r.Done && r.Clock.IsRunning)
            .Concat(rows.Where(r => r.Done))
            .Concat(rows.Where(r => !r.Done && !r.Clock.IsRunning))
            .Take(room)
            .OrderBy(r => r.Line)];

    private static string Colour(Row r) => r.Outcome?.Kind switch
    {
        "Succeeded" => $"[green]{E(r.Status)}[/]",
        null => E(r.Status),
        _ => $"[red]{E(r.Status)}[/]",
    };

    private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private sealed class Row(int line, string model)
    {
        public int Line { get; } = line;

        public string Model { get; } = model;

        public Stopwatch Clock { get; } = new();

        public string Status { get; set; } = "waiting";

        public string? JobId { get; set; }

        public bool Resumed { get; set; }

        public bool Done { get; set; }

        public string? File { get; set; }

        public BatchCommand.LineOutcome? Outcome { get; set; }
    }

    /// <summary>Text of a vendor's answer as markup-safe, printable text (no escape sequences reach the terminal).</summary>
    private static string E(string text) => Markup.Escape(Output.Printable(text));
}
