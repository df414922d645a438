using System.Globalization;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Silo.Drivers.Local;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>A driver on a fresh temporary data directory, with a recording sink; disposing stops it and deletes the directory.</summary>
internal sealed class DriverHarness : IAsyncDisposable
{
    /// <summary>Debian's interpreter: <c>python3</c> on PATH may be a slow pyenv shim.</summary>
    public const string Python = "/usr/bin/python3";

    private DriverHarness(string dataPath, RecordingSink sink, LocalProcessDriver driver)
    {
        DataPath = dataPath;
        Sink = sink;
        Driver = driver;
    }

    public string DataPath { get; }

    public string RecordsPath => Path.Combine(DataPath, "workloads");

    public RecordingSink Sink { get; }

    public LocalProcessDriver Driver { get; }

    public static async Task<DriverHarness> StartAsync(
        Action<LocalDriverOptions>? configure = null, string? dataPath = null, RecordingSink? sink = null)
    {
        dataPath ??= Directory.CreateTempSubdirectory("kn-local-driver-").FullName;
        var options = new LocalDriverOptions { DataPath = dataPath };
        configure?.Invoke(options);
        sink ??= new RecordingSink();
        var driver = new LocalProcessDriver(Options.Create(options), sink, NullLogger<LocalProcessDriver>.Instance);
        await ((IHostedService)driver).StartAsync(CancellationToken.None);
        return new DriverHarness(dataPath, sink, driver);
    }

    public static WorkloadSpec Spec(
        string instanceId, string script, Probe? probe = null, IReadOnlyDictionary<string, string>? env = null, string revision = "hello-00001") =>
        new()
        {
            RevisionKey = "default/" + revision,
            InstanceId = instanceId,
            CommandLine = [Python, "-u", "-c", script],
            Env = env ?? new Dictionary<string, string>
            {
                ["K_SERVICE"] = "hello",
                ["K_CONFIGURATION"] = "hello",
                ["K_REVISION"] = revision,
            },
            ReadinessProbe = probe,
        };

    /// <summary>The pid of the only running workload, from its record file.</summary>
    public int SinglePid()
    {
        var record = Assert.Single(Directory.GetFiles(RecordsPath, "*.json"));
        return int.Parse(Path.GetFileNameWithoutExtension(record), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        Directory.Delete(DataPath, recursive: true);
    }
}
