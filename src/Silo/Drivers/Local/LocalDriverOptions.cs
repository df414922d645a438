namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>
/// Options of the local-process workload driver (<see cref="LocalProcessDriver"/>), the embedded default runtime.
/// Every default is the value of the property initializer; <see cref="LocalDriverOptionsValidator"/> checks the ranges at startup.
/// </summary>
public sealed class LocalDriverOptions
{
    /// <summary>Configuration section conventionally bound to these options.</summary>
    public const string SectionName = "LocalDriver";

    /// <summary>
    /// The driver's data directory (required; relative paths are resolved against the current directory). It holds
    /// <c>workloads/{pid}.json</c>, one record per running workload, used to reap leftovers after a crash, and
    /// <c>work/</c>, the working directory of workloads whose spec has no <c>WorkingDir</c>.
    /// </summary>
    public string DataPath { get; set; } = "";

    /// <summary>
    /// Working directory of workloads whose spec has no <c>workingDir</c>, and the base of relative <c>workingDir</c>s.
    /// Default null = <c>{DataPath}/work</c>; the all-in-one platform sets it to the directory it was started from, so
    /// relative paths in a manifest's command and args resolve from there.
    /// </summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Interval between readiness probes until the first success when the probe's <c>periodSeconds</c> is 0 or absent
    /// (Knative's aggressive probing). Default 50 ms; allowed [10 ms; 1 s].
    /// </summary>
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Timeout of one probe attempt during aggressive probing (<c>periodSeconds</c> 0 or absent). Default 100 ms, as
    /// Knative's queue-proxy; allowed [10 ms; 10 s]. Probes with <c>periodSeconds</c> &gt; 0 use their <c>timeoutSeconds</c> (default 1 s).
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Interval between readiness probes of a ready instance whose probe has <c>periodSeconds</c> 0 or absent. Default 1 s;
    /// allowed [100 ms; 1 min].
    /// </summary>
    public TimeSpan ReadyProbePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Grace period between SIGTERM and SIGKILL when the platform shuts down and stops every instance
    /// (<see cref="Grains.Ports.IWorkloadDriver.StopAsync"/> takes its own). Default 5 s; allowed [0 s; <see cref="ShutdownTimeout"/>].
    /// </summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Upper bound on the driver's shutdown: after it every remaining workload gets SIGKILL, so the platform exits in time.
    /// Default 10 s; allowed [1 s; 5 min].
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Lines of output (stdout and stderr) kept per revision. Default 1000; allowed [1; 1,000,000].</summary>
    public int MaxOutputLinesPerRevision { get; set; } = 1000;

    /// <summary>
    /// Characters of output kept per revision (counting one per line break). Default 262,144 (256 Ki); allowed
    /// [1,024; 67,108,864].
    /// </summary>
    public int MaxOutputCharsPerRevision { get; set; } = 256 * 1024;

    /// <summary>
    /// Revisions whose output is kept; when a new revision writes output beyond this, the revision whose output was
    /// least recently written or read is forgotten. Default 200; allowed [1; 100,000].
    /// </summary>
    public int MaxOutputRevisions { get; set; } = 200;

    /// <summary>Longest output line kept, in characters; longer lines are cut. Default 8192; allowed [80; 1,048,576].</summary>
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>
    /// Spawn workloads through <c>/usr/bin/setpriv --pdeathsig KILL -- /usr/bin/setsid -- cmd args</c>, so each one is its own
    /// process group and is killed when the platform dies. <c>null</c> (default) = when both tools exist; <c>true</c> =
    /// always (startup fails without them); <c>false</c> = never (workloads share the platform's process group and only the
    /// pid records protect against leftovers).
    /// </summary>
    public bool? UseSetpriv { get; set; }
}
