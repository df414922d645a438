using System.Collections.Concurrent;
using System.Diagnostics;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>
/// Starts every workload process from one dedicated, long-lived thread.
/// </summary>
/// <remarks>
/// Workloads are spawned through <c>setpriv --pdeathsig KILL</c>, and PR_SET_PDEATHSIG fires when the <em>thread</em> that
/// forked the child exits, not the process. Thread-pool threads retire after idling, which would SIGKILL healthy workloads
/// at random; this thread lives until the driver is disposed, after every workload has been stopped.
/// </remarks>
internal sealed class ProcessSpawner : IDisposable
{
    public const string SetprivPath = "/usr/bin/setpriv";
    public const string SetsidPath = "/usr/bin/setsid";

    private readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Result)> _requests = new();
    private readonly Thread _thread;

    public ProcessSpawner()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "Knative.Orleans workload spawner" };
        _thread.Start();
    }

    public static bool WrapperToolsExist => File.Exists(SetprivPath) && File.Exists(SetsidPath);

    /// <summary>Starts the process on the spawner thread; faults with the start error (e.g. a missing working directory).</summary>
    public Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add((startInfo, result));
        }
        catch (InvalidOperationException)
        {
            result.SetException(new ObjectDisposedException(nameof(ProcessSpawner), "the workload spawner has stopped"));
        }

        return result.Task;
    }

    private void Run()
    {
        foreach (var (startInfo, result) in _requests.GetConsumingEnumerable())
        {
            var process = new Process { StartInfo = startInfo };
            try
            {
                process.Start();
                result.SetResult(process);
            }
            catch (Exception ex)
            {
                process.Dispose();
                result.SetException(ex);
            }
        }
    }

    /// <summary>Stops the thread once pending requests are served. Call only after every workload has been stopped.</summary>
    public void Dispose()
    {
        _requests.CompleteAdding();
        if (_thread.Join(TimeSpan.FromSeconds(5)))
        {
            _requests.Dispose();
        }
    }
}
