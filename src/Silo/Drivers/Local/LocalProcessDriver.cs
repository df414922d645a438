using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>
/// Runs revision instances as local processes: the embedded default runtime. See <c>README.md</c> in this folder for the
/// process-lifetime rules (no workload outlives the platform) and the reporting order.
/// </summary>
/// <remarks>
/// As a hosted service it reaps workloads a crashed platform left behind on start, and stops every instance on shutdown
/// (SIGTERM, then SIGKILL after <see cref="LocalDriverOptions.StopGracePeriod"/>, all within <see cref="LocalDriverOptions.ShutdownTimeout"/>).
/// </remarks>
public sealed partial class LocalProcessDriver : IWorkloadDriver, IHostedService, IAsyncDisposable, IDisposable
{
    private readonly LocalDriverOptions _options;
    private readonly IWorkloadStatusSink _sink;
    private readonly ILogger<LocalProcessDriver> _logger;
    private readonly TimeProvider _time;
    private readonly string _defaultWorkingDir;
    private readonly bool _useWrapper;
    private readonly WorkloadRecordStore _records;
    private readonly OutputStore _output;
    private readonly ReadinessProber _prober = new();
    private readonly ConcurrentDictionary<(string RevisionKey, string InstanceId), LocalInstance> _instances = new();
    private readonly Channel<(LocalInstance Instance, WorkloadStatus Status)> _reports =
        Channel.CreateUnbounded<(LocalInstance, WorkloadStatus)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private ProcessSpawner? _spawner;
    private Task _reporter = Task.CompletedTask;
    private Task? _shutdown;

    public LocalProcessDriver(
        IOptions<LocalDriverOptions> options, IWorkloadStatusSink sink, ILogger<LocalProcessDriver> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new LocalDriverOptionsValidator().Validate(Options.DefaultName, options.Value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(LocalDriverOptions), validation.Failures);
        }

        _options = options.Value;
        _sink = sink;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        var dataPath = Path.GetFullPath(_options.DataPath);
        _defaultWorkingDir = _options.WorkingDirectory is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(dataPath, "work");
        _useWrapper = _options.UseSetpriv ?? ProcessSpawner.WrapperToolsExist;
        _records = new WorkloadRecordStore(Path.Combine(dataPath, "workloads"), logger);
        _output = new OutputStore(_options.MaxOutputLinesPerRevision, _options.MaxOutputCharsPerRevision, _options.MaxOutputRevisions);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Picks a free loopback port, passes it as <c>PORT</c>, and runs the command without a shell in <c>spec.WorkingDir</c>
    /// (default <c>{DataPath}/work</c>). Starting an instance that is already running is a no-op.
    /// </remarks>
    public async Task StartAsync(WorkloadSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var instance = new LocalInstance(spec, PickFreePort());
        lock (_gate)
        {
            if (_shutdown is not null)
            {
                Log.StartRefused(_logger, spec.RevisionKey, spec.InstanceId);
                return;
            }

            EnsureStarted();
            if (!_instances.TryAdd((spec.RevisionKey, spec.InstanceId), instance))
            {
                Log.AlreadyRunning(_logger, spec.RevisionKey, spec.InstanceId);
                return;
            }
        }

        await SpawnAsync(instance).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync(string revisionKey, string instanceId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (_instances.TryGetValue((revisionKey, instanceId), out var instance))
        {
            await StopInstanceAsync(instance, gracePeriod, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Lines are prefixed with <c>[{instanceId}] </c>; stdout and stderr are read separately, so their relative order is
    /// only approximate. A negative <paramref name="tailLines"/> returns every kept line. Unknown revisions give "".
    /// </remarks>
    public string GetOutput(string revisionKey, int tailLines) => _output.Tail(revisionKey, tailLines);

    /// <summary>Delivers reports one at a time, in order; drops those of instances stopped meanwhile.</summary>
    private async Task ReportLoopAsync()
    {
        await foreach (var (instance, status) in _reports.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (instance.Stopping)
            {
                continue;
            }

            try
            {
                await _sink.ReportAsync(status).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.SinkFailed(_logger, status.RevisionKey, status.InstanceId, status.Phase, ex);
            }
        }
    }

    private void Report(LocalInstance instance, WorkloadPhase phase, int? exitCode = null, string? message = null) =>
        instance.TryReport(
            new WorkloadStatus
            {
                RevisionKey = instance.Spec.RevisionKey,
                InstanceId = instance.Spec.InstanceId,
                Phase = phase,
                Address = instance.Pid > 0 ? instance.Address : null,
                ExitCode = exitCode,
                Message = message,
            },
            _reports.Writer);

    /// <summary>
    /// Binds 127.0.0.1:0 and releases the port for the workload; retries when a live instance already got the same port.
    /// Another program may still grab it before the workload binds; the instance then fails its probe or exits.
    /// </summary>
    private int PickFreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (attempt >= 10 || !_instances.Values.Any(i => i.Port == port))
            {
                return port;
            }
        }
    }
}
