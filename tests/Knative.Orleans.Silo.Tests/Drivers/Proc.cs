using System.Globalization;

namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>Reads <c>/proc/{pid}/stat</c> directly, independently of the driver's parser.</summary>
internal static class Proc
{
    /// <summary>Fields after the command name: [0] state, [1] ppid, [2] pgrp, [3] session, ..., [19] start time.</summary>
    public static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static ulong StartTime(int pid) => ulong.Parse(Stat(pid)![19], CultureInfo.InvariantCulture);

    /// <summary>Running or sleeping; a zombie (killed, waiting for init to reap it) counts as gone.</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } stat && stat[0] is not ("Z" or "X");

    /// <summary>The program the process runs now (first word of <c>/proc/{pid}/cmdline</c>); null when it is gone.</summary>
    public static string? Program(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Blocks (polling /proc) until the process has exec'd <paramref name="program"/>.</summary>
    public static void WaitExec(int pid, string program, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Program(pid) != program)
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} did not exec {program} (runs {Program(pid) ?? "nothing"})");
            Thread.Sleep(5);
        }
    }

    /// <summary>Polls /proc until the process is gone (the kernel finishes a SIGKILL asynchronously).</summary>
    public static async Task WaitGoneAsync(int pid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (IsAlive(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} is still alive");
            await Task.Delay(20);
        }
    }
}
