using System.Runtime.InteropServices;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Sends POSIX signals with libc's <c>kill(2)</c>; .NET's <c>Process.Kill</c> can neither send SIGTERM nor signal a group.</summary>
internal static partial class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>
    /// Signals the process group led by <paramref name="pid"/> (every workload spawned through setsid leads its own group),
    /// then the process itself in case it has no group of its own. Returns whether any signal was delivered.
    /// Call only while the process is not yet reaped, or the pid may name a stranger.
    /// </summary>
    public static bool SignalProcessAndGroup(int pid, int signal)
    {
        var group = SignalGroup(pid, signal);
        var single = pid > 1 && Kill(pid, signal) == 0;
        return group || single;
    }

    /// <summary>
    /// Signals only the process group led by <paramref name="pid"/>, e.g. the children left behind by a workload that has
    /// exited. A pid number that still names a group with members is never handed to a new process by the kernel.
    /// </summary>
    public static bool SignalGroup(int pid, int signal) => pid > 1 && Kill(-pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
