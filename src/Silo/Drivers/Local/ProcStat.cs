using System.Globalization;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>The few fields of <c>/proc/{pid}/stat</c> the driver needs (proc(5)).</summary>
internal readonly record struct ProcStat(char State, int ProcessGroup, int Session, ulong StartTime)
{
    /// <summary>Zombie (Z) or dead (X): the process has ended and only waits to be reaped.</summary>
    public bool IsEnded => State is 'Z' or 'X';

    /// <summary>Reads the stat of <paramref name="pid"/>; null when the process does not exist (or /proc is unreadable).</summary>
    public static ProcStat? TryRead(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>
    /// Parses a stat line. Field 2 (comm) is in parentheses and may itself hold spaces and parentheses, so the fields are
    /// counted from the last ')': field 3 (state) is the first after it, field 5 the process group, 6 the session and
    /// 22 the start time in clock ticks after boot.
    /// </summary>
    public static ProcStat? Parse(string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var session)
            || !ulong.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcStat(fields[0][0], group, session, start);
    }
}
