using System.Diagnostics;
using System.Globalization;

namespace VideoGen.Journal;

/// <summary>
/// Leases on journal entries (<see cref="IJobJournal.TryAcquireLeaseAsync"/>): who owns an entry while it works on it,
/// so two processes running the same batch never both submit, reconcile or download one line.
/// </summary>
/// <remarks>
/// An owner id names the machine, the process id and the process's start time, plus a random part; so a process on
/// the same machine can tell that an owner died (killed, crashed) without waiting for its lease to lapse. Owners on
/// other machines are trusted until their lease expires.
/// </remarks>
public static class JournalLease
{
    /// <summary>The default lease duration: 30 seconds, renewed every <see cref="DefaultRenewInterval"/> while the owner works.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(30);

    /// <summary>How often an owner renews its lease: every 10 seconds.</summary>
    public static readonly TimeSpan DefaultRenewInterval = TimeSpan.FromSeconds(10);

    private static readonly Lazy<string> Current = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{StartTicks(self)}/{Guid.NewGuid():N}");
    });

    /// <summary>This process's owner id: <c>machine/pid/start-ticks/random</c>.</summary>
    public static string CurrentProcessOwner => Current.Value;

    /// <summary>The process id in an owner id made by <see cref="CurrentProcessOwner"/>, for messages.</summary>
    /// <param name="owner">The owner id.</param>
    /// <returns>A short description: <c>process 1234 on host</c>, or the id itself.</returns>
    public static string Describe(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var parts = owner.Split('/');
        return parts.Length == 4 ? $"process {parts[1]} on {parts[0]}" : owner;
    }

    /// <summary>
    /// Releases <paramref name="entry"/>'s lease when its holder is not <paramref name="owner"/> and has ended on this
    /// machine (<see cref="IsKnownGone"/>): a dead holder's lease protects nothing, so the next claim need not wait for it to lapse.
    /// </summary>
    internal static async Task ReleaseIfHolderGoneAsync(IJobJournal journal, JournalEntry entry, string owner, CancellationToken cancellationToken)
    {
        if (entry.LeaseOwner is { } holder && holder != owner && IsKnownGone(holder))
        {
            await journal.ReleaseLeaseAsync(entry.CorrelationId, holder, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether <paramref name="owner"/> is known to be gone: it ran on this machine and no process with its id and
    /// start time runs now. An owner on another machine, or an id of another form, is never known to be gone.
    /// </summary>
    /// <param name="owner">The owner id.</param>
    /// <returns><see langword="true"/> when the owner's process has certainly ended.</returns>
    public static bool IsKnownGone(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var parts = owner.Split('/');
        if (parts.Length != 4 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || StartTicks(process) != ticks;
        }
        catch (ArgumentException)
        {
            // No process with that id runs.
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not allowed to look: assume alive, so the lease is honoured until it lapses.
            return false;
        }
    }

    private static long StartTicks(Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return 0;
        }
    }
}
