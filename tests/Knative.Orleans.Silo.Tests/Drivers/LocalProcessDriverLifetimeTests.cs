using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Hosting;

namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>No workload outlives the platform: stop, shutdown, pid records, the reaper and the setpriv/setsid wrapper.</summary>
public sealed class LocalProcessDriverLifetimeTests
{
    private static bool WrapperToolsExist => File.Exists("/usr/bin/setpriv") && File.Exists("/usr/bin/setsid");

    [Fact]
    public async Task Stop_SendsSigterm_AndReportsNothing()
    {
        await using var h = await DriverHarness.StartAsync();
        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.ByeOnSigterm), CancellationToken.None);
        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        var pid = h.SinglePid();

        var clock = Stopwatch.StartNew();
        await h.Driver.StopAsync("default/hello-00001", "i1", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stop took {clock.Elapsed}");
        Assert.EndsWith("[i1] bye", h.Driver.GetOutput("default/hello-00001", 10));
        Assert.False(Proc.IsAlive(pid));
        Assert.Empty(Directory.GetFiles(h.RecordsPath));
        Assert.Equal([WorkloadPhase.Starting, WorkloadPhase.Ready], h.Sink.Phases("i1"));

        // Idempotent; unknown instances are a no-op.
        await h.Driver.StopAsync("default/hello-00001", "i1", TimeSpan.FromSeconds(1), CancellationToken.None);
        await h.Driver.StopAsync("default/other-00001", "x", TimeSpan.FromSeconds(1), CancellationToken.None);
    }

    [Fact]
    public async Task Stop_EscalatesToSigkill_AfterTheGracePeriod()
    {
        await using var h = await DriverHarness.StartAsync();
        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.IgnoresSigterm), CancellationToken.None);
        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        var pid = h.SinglePid();

        var clock = Stopwatch.StartNew();
        await h.Driver.StopAsync("default/hello-00001", "i1", TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
        Assert.False(Proc.IsAlive(pid));
        Assert.Empty(Directory.GetFiles(h.RecordsPath));
        Assert.DoesNotContain(WorkloadPhase.Exited, h.Sink.Phases("i1"));
    }

    [Fact]
    public async Task Stop_AlsoKillsTheWorkloadsChildren()
    {
        await using var h = await DriverHarness.StartAsync();
        var spec = DriverHarness.Spec("i1", "") with
        {
            CommandLine = ["/bin/sh", "-c", "/bin/sleep 1000 & echo child=$!; exec /usr/bin/python3 -u -c \"$0\"", Scripts.IgnoresSigterm],
        };
        await h.Driver.StartAsync(spec, CancellationToken.None);
        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        var child = int.Parse(h.Driver.GetOutput(spec.RevisionKey, 10).Split('\n')[0]["[i1] child=".Length..], CultureInfo.InvariantCulture);
        Assert.True(Proc.IsAlive(child));

        await h.Driver.StopAsync(spec.RevisionKey, "i1", TimeSpan.FromMilliseconds(200), CancellationToken.None);

        await Proc.WaitGoneAsync(child);
    }

    [Fact]
    public async Task PlatformShutdown_StopsEveryWorkload_WithinTheShutdownTimeout()
    {
        var h = await DriverHarness.StartAsync(o => o.StopGracePeriod = TimeSpan.FromSeconds(1));
        await h.Driver.StartAsync(DriverHarness.Spec("polite", Scripts.ByeOnSigterm), CancellationToken.None);
        await h.Driver.StartAsync(DriverHarness.Spec("stubborn", Scripts.IgnoresSigterm), CancellationToken.None);
        await h.Sink.WaitAsync("polite", WorkloadPhase.Ready);
        await h.Sink.WaitAsync("stubborn", WorkloadPhase.Ready);
        var pids = Directory.GetFiles(h.RecordsPath, "*.json")
            .Select(f => int.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, pids.Count);

        var clock = Stopwatch.StartNew();
        await ((IHostedService)h.Driver).StopAsync(CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {clock.Elapsed}");
        Assert.All(pids, pid => Assert.False(Proc.IsAlive(pid)));
        Assert.Empty(Directory.GetFiles(h.RecordsPath));
        Assert.Contains("[polite] bye", h.Driver.GetOutput("default/hello-00001", -1));

        // After shutdown, starts are refused without throwing.
        await h.Driver.StartAsync(DriverHarness.Spec("late", Scripts.HttpServer), CancellationToken.None);
        Assert.Empty(h.Sink.Phases("late"));
        await h.DisposeAsync();
    }

    [Fact]
    public async Task PidRecord_IsWrittenWithStartTime_AndDeletedWhenTheProcessEnds()
    {
        await using var h = await DriverHarness.StartAsync();
        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.HttpServer), CancellationToken.None);
        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        var pid = h.SinglePid();

        using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(h.RecordsPath, $"{pid}.json"))))
        {
            Assert.Equal(pid, record.RootElement.GetProperty("pid").GetInt32());
            Assert.Equal(Proc.StartTime(pid), record.RootElement.GetProperty("startTime").GetUInt64());
            Assert.Equal("default/hello-00001", record.RootElement.GetProperty("revisionKey").GetString());
            Assert.Equal("i1", record.RootElement.GetProperty("instanceId").GetString());
        }

        await h.Driver.StopAsync("default/hello-00001", "i1", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(h.RecordsPath, $"{pid}.json")));
    }

    [Fact]
    public async Task Wrapper_MakesEachWorkloadItsOwnSessionAndGroup_WithThePlatformAsParent()
    {
        if (!WrapperToolsExist)
        {
            return;
        }

        await using var h = await DriverHarness.StartAsync(o => o.UseSetpriv = true);
        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.HttpServer), CancellationToken.None);
        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        var pid = h.SinglePid();

        var stat = Proc.Stat(pid)!;
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), stat[1]);
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), stat[2]);
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), stat[3]);
    }

    [Fact]
    public async Task Wrapper_WorkloadOutlivesTheThreadThatCalledStart()
    {
        if (!WrapperToolsExist)
        {
            return;
        }

        await using var h = await DriverHarness.StartAsync(o => o.UseSetpriv = true);
        Process? canary = null;

        // PR_SET_PDEATHSIG follows the forking thread. The canary is forked by this short-lived thread itself, so its death
        // proves the thread is gone; the workload, forked by the driver's spawner thread, must survive it.
        var thread = new Thread(() =>
        {
            canary = Process.Start(new ProcessStartInfo("/usr/bin/setpriv", ["--pdeathsig", "KILL", "--", "/bin/sleep", "1000"]))!;
            // setpriv sets PR_SET_PDEATHSIG just before it execs sleep. Had this thread exited before that (a loaded machine
            // can delay setpriv that long), the signal would never fire and the canary would outlive the thread.
            Proc.WaitExec(canary.Id, "/bin/sleep");
            h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.HttpServer), CancellationToken.None).GetAwaiter().GetResult();
        });
        thread.Start();
        thread.Join();
        using (canary)
        {
            await canary!.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        Assert.True(Proc.IsAlive(h.SinglePid()));
        Assert.DoesNotContain(WorkloadPhase.Exited, h.Sink.Phases("i1"));
    }

    [Fact]
    public async Task Wrapper_KillsTheWorkloadWhenItsParentDies()
    {
        if (!WrapperToolsExist)
        {
            return;
        }

        // A stand-in for a crashing platform: it spawns with the driver's wrapper, then gets SIGKILL.
        const string Platform = """
            import subprocess, time
            p = subprocess.Popen(['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--', '/usr/bin/setsid', '--', '/bin/sleep', '1000'])
            print(p.pid, flush=True)
            time.sleep(1000)
            """;
        using var platform = Process.Start(new ProcessStartInfo(DriverHarness.Python, ["-c", Platform]) { RedirectStandardOutput = true })!;
        var workload = int.Parse((await platform.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
        Assert.True(Proc.IsAlive(workload));
        // Only once setpriv has set the death signal (it then execs setsid, which execs sleep): a kill before that is a
        // parent dying before the wrapper ran, which no death signal can see (the data directory's pid records cover it).
        Proc.WaitExec(workload, "/bin/sleep");

        platform.Kill();

        await Proc.WaitGoneAsync(workload);
    }
}
