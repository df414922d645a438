using System.Runtime.InteropServices;

namespace Knative.Orleans.E2E.Tests.Infrastructure;

internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
