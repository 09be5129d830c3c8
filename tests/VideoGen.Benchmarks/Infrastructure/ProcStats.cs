using System.Globalization;

namespace VideoGen.Benchmarks.Infrastructure;

/// <summary>The kernel's view of this process (Linux /proc): resident memory and TCP connections.</summary>
internal static class ProcStats
{
    /// <summary>Resets the kernel's peak resident set (VmHWM) to the current one; false where /proc does not allow it.</summary>
    public static bool ResetPeakResident()
    {
        try
        {
            // "5" resets the peak RSS high-water mark (Linux 4.0+, Documentation/filesystems/proc.rst).
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The peak resident set since the process started or the last <see cref="ResetPeakResident"/> (VmHWM), in bytes.</summary>
    public static long PeakResidentBytes() => ReadStatusKb("VmHWM:") * 1024;

    /// <summary>The current resident set (VmRSS), in bytes.</summary>
    public static long ResidentBytes() => ReadStatusKb("VmRSS:") * 1024;

    /// <summary>
    /// Counts established IPv4/IPv6 TCP connections whose remote end is <paramref name="port"/> on a
    /// loopback address: from this host's client sockets to a local server (the server's own sockets
    /// have the port as their local end and are not counted).
    /// </summary>
    public static int EstablishedConnectionsTo(int port)
    {
        return Count("/proc/net/tcp") + Count("/proc/net/tcp6");

        int Count(string path)
        {
            if (!File.Exists(path))
            {
                return 0;
            }

            var count = 0;
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                // sl local_address rem_address st ...   e.g. "0: 0100007F:A1B2 0100007F:1F90 01 ..."
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 4 || parts[3] != "01")
                {
                    continue;
                }

                var remote = parts[2];
                var colon = remote.LastIndexOf(':');
                if (colon > 0 && int.Parse(remote[(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    count++;
                }
            }

            return count;
        }
    }

    private static long ReadStatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
