using System.Diagnostics;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Turns a <see cref="WorkloadSpec"/> into a <see cref="ProcessStartInfo"/>: environment, executable, wrapper.</summary>
internal static class WorkloadLaunch
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Builds the start info, or returns an error text when the executable or the working directory does not exist.
    /// The executable is resolved here (against the workload's PATH and working directory) so that a missing one is a
    /// spawn failure (exit code -1) rather than the wrapper's exit code 127.
    /// </summary>
    public static ProcessStartInfo? Build(WorkloadSpec spec, int port, string workingDir, bool useWrapper, out string? error)
    {
        if (spec.CommandLine.Count == 0 || string.IsNullOrEmpty(spec.CommandLine[0]))
        {
            error = "empty command line";
            return null;
        }

        if (!Directory.Exists(workingDir))
        {
            error = $"working directory {workingDir} does not exist";
            return null;
        }

        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDir,
        };

        // ProcessStartInfo.Environment starts as a copy of the platform's environment.
        foreach (var name in startInfo.Environment.Keys.Where(IsPlatformSecret).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in spec.Env)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var executable = Resolve(spec.CommandLine[0], workingDir, startInfo.Environment.TryGetValue("PATH", out var path) ? path : null);
        if (executable is null)
        {
            error = $"executable file not found: {spec.CommandLine[0]}";
            return null;
        }

        if (useWrapper)
        {
            startInfo.FileName = ProcessSpawner.SetprivPath;
            foreach (var arg in (string[])["--pdeathsig", "KILL", "--", ProcessSpawner.SetsidPath, "--", executable])
            {
                startInfo.ArgumentList.Add(arg);
            }
        }
        else
        {
            startInfo.FileName = executable;
        }

        foreach (var arg in spec.CommandLine.Skip(1))
        {
            startInfo.ArgumentList.Add(arg);
        }

        error = null;
        return startInfo;
    }

    /// <summary>
    /// Platform variables a workload must not inherit: the admin API's credentials (<c>Admin__*</c>, <c>ADMIN_*</c>), anything
    /// named like a token, secret or password, and ASP.NET Core's listening addresses, which would make a .NET workload
    /// bind the platform's ports instead of <c>PORT</c>.
    /// </summary>
    public static bool IsPlatformSecret(string name) =>
        name.StartsWith("Admin__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ADMIN_", StringComparison.OrdinalIgnoreCase)
        || name.Contains("TOKEN", StringComparison.OrdinalIgnoreCase)
        || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
        || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ASPNETCORE_HTTP_PORTS", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ASPNETCORE_HTTPS_PORTS", StringComparison.OrdinalIgnoreCase);

    /// <summary>Like execvp(3): a name with a slash is a path (relative to the working directory), else searched in PATH.</summary>
    private static string? Resolve(string file, string workingDir, string? path)
    {
        if (file.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(file, workingDir);
            return IsExecutable(full) ? full : null;
        }

        foreach (var dir in (string.IsNullOrEmpty(path) ? DefaultPath : path).Split(':'))
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.Length == 0 ? "." : dir, file), workingDir);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
