using System.Diagnostics;
using System.Globalization;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>Workloads left behind by a crashed platform are killed when the next driver starts, strangers are spared.</summary>
public sealed class LocalProcessDriverReaperTests
{
    [Fact]
    public async Task Reaper_KillsARecordedLeftover_AndItsProcessGroup()
    {
        var dataPath = Directory.CreateTempSubdirectory("kn-local-driver-").FullName;
        using var leftover = Process.Start(new ProcessStartInfo("/usr/bin/setsid", ["/bin/sh", "-c", "/bin/sleep 1000 & echo $!; wait"])
        {
            RedirectStandardOutput = true,
        })!;
        var child = int.Parse((await leftover.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
        var recordPath = Path.Combine(dataPath, "workloads", $"{leftover.Id}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(recordPath)!);
        File.WriteAllText(recordPath, $$"""
            {"pid":{{leftover.Id}},"startTime":{{Proc.StartTime(leftover.Id)}},"revisionKey":"default/old-00001","instanceId":"old-1"}
            """);

        await using var h = await DriverHarness.StartAsync(dataPath: dataPath);

        await leftover.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Proc.WaitGoneAsync(child);
        Assert.False(File.Exists(recordPath));
    }

    [Fact]
    public async Task Reaper_SparesAProcessWhosePidWasReused_AndDeletesTheRecord()
    {
        var dataPath = Directory.CreateTempSubdirectory("kn-local-driver-").FullName;
        var self = Environment.ProcessId;
        var recordPath = Path.Combine(dataPath, "workloads", $"{self}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(recordPath)!);
        File.WriteAllText(recordPath, $$"""
            {"pid":{{self}},"startTime":{{Proc.StartTime(self) + 12345}},"revisionKey":"default/old-00001","instanceId":"old-1"}
            """);
        File.WriteAllText(Path.Combine(dataPath, "workloads", "garbage.json"), "{not json");

        await using var h = await DriverHarness.StartAsync(dataPath: dataPath);

        Assert.True(Proc.IsAlive(self));
        Assert.Empty(Directory.GetFiles(h.RecordsPath));
    }

    [Fact]
    public async Task Reaper_KillsWorkloadsOfAPreviousDriverOnTheSameDataPath()
    {
        await using var crashed = await DriverHarness.StartAsync();
        await crashed.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.IgnoresSigterm), CancellationToken.None);
        await crashed.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        var pid = crashed.SinglePid();

        // A new driver on the same data path finds the record, as after a platform crash.
        var next = await DriverHarness.StartAsync(dataPath: crashed.DataPath);
        await next.Driver.DisposeAsync();

        Assert.Equal(128 + 9, (await crashed.Sink.WaitAsync("i1", WorkloadPhase.Exited)).ExitCode);
        Assert.False(Proc.IsAlive(pid));
    }
}
