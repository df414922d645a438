using System.Globalization;

namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>Processes started by the platform for a test, found by a marker in their environment.</summary>
public static class Workloads
{
    /// <summary>Pids of live processes whose environment contains <c>E2E_MARKER={marker}</c>.</summary>
    public static IReadOnlyList<int> WithMarker(string marker)
    {
        var needle = "E2E_MARKER=" + marker;
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var env = File.ReadAllText(Path.Combine(dir, "environ"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state != "Z" && env.Split('\0').Contains(needle))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }

        return pids;
    }

    /// <summary>Waits (bounded) until no process carries the marker; returns the survivors.</summary>
    public static async Task<IReadOnlyList<int>> WaitGoneAsync(string marker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<int> left;
        while ((left = WithMarker(marker)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return left;
    }
}
