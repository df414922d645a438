using System.Net;
using System.Text.Json;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Tests.Drivers;

/// <summary>Start, readiness, exit and output of real local processes.</summary>
public sealed class LocalProcessDriverTests
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    [Fact]
    public async Task HttpServer_ReportsStartingThenReady_AndGetsPortAndKnativeEnvButNoAdminToken()
    {
        Environment.SetEnvironmentVariable("Admin__Token", "platform-secret");
        await using var h = await DriverHarness.StartAsync();

        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.HttpServer), CancellationToken.None);
        var ready = await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);

        Assert.Equal([WorkloadPhase.Starting, WorkloadPhase.Ready], h.Sink.Phases("i1"));
        var starting = h.Sink.History("i1")[0];
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", starting.Address);
        Assert.Equal(starting.Address, ready.Address);
        Assert.Equal("default/hello-00001", ready.RevisionKey);

        var env = JsonSerializer.Deserialize<Dictionary<string, string>>(await Http.GetStringAsync(ready.Address + "/env"))!;
        Assert.Equal(new Uri(ready.Address!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), env["PORT"]);
        Assert.Equal("hello", env["K_SERVICE"]);
        Assert.Equal("hello", env["K_CONFIGURATION"]);
        Assert.Equal("hello-00001", env["K_REVISION"]);
        Assert.False(env.ContainsKey("Admin__Token"));
        Assert.Equal(Environment.GetEnvironmentVariable("HOME"), env.GetValueOrDefault("HOME"));
        Assert.Contains("[i1] listening on " + env["PORT"], h.Driver.GetOutput("default/hello-00001", 10));
    }

    [Fact]
    public async Task HttpGetProbe_ReportsReadyOnlyAfterThePathAnswers200()
    {
        await using var h = await DriverHarness.StartAsync();
        var probe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz", Port = new IntOrString { IntValue = 0 } } };
        var env = new Dictionary<string, string> { ["FAIL_FIRST"] = "3" };

        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.HttpServer, probe, env), CancellationToken.None);
        var ready = await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);

        // Three 503s, then the 200 that made it ready (later steady-state probes may add more).
        Assert.True(int.Parse(await Http.GetStringAsync(ready.Address + "/hits"), System.Globalization.CultureInfo.InvariantCulture) >= 4);
        Assert.Equal([WorkloadPhase.Starting, WorkloadPhase.Ready], h.Sink.Phases("i1"));
    }

    [Fact]
    public async Task PeriodicProbe_ReportsUnreadyAfterFailureThreshold_AndReadyAgainOnSuccess()
    {
        await using var h = await DriverHarness.StartAsync();
        var probe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz" }, PeriodSeconds = 1, FailureThreshold = 2 };

        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.HttpServer, probe), CancellationToken.None);
        var ready = await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
        await Http.GetStringAsync(ready.Address + "/fail");
        await h.Sink.WaitAsync("i1", WorkloadPhase.Unready);
        await Http.GetStringAsync(ready.Address + "/ok");
        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready, occurrence: 2);

        Assert.Equal([WorkloadPhase.Starting, WorkloadPhase.Ready, WorkloadPhase.Unready, WorkloadPhase.Ready], h.Sink.Phases("i1"));
    }

    [Fact]
    public async Task ProcessExitingOnItsOwn_ReportsExitedWithCodeAndLastOutput()
    {
        await using var h = await DriverHarness.StartAsync();
        const string Script = "import sys\nprint('starting')\nprint('last words', file=sys.stderr)\nsys.exit(3)";

        await h.Driver.StartAsync(DriverHarness.Spec("i1", Script), CancellationToken.None);
        var exited = await h.Sink.WaitAsync("i1", WorkloadPhase.Exited);

        Assert.Equal(3, exited.ExitCode);
        Assert.Contains("starting", exited.Message);
        Assert.Contains("last words", exited.Message);
        Assert.Equal([WorkloadPhase.Starting, WorkloadPhase.Exited], h.Sink.Phases("i1"));
        Assert.Empty(Directory.GetFiles(h.RecordsPath));
    }

    [Fact]
    public async Task ProcessKilledBySignal_ReportsTheExitCodeDotNetReports()
    {
        await using var h = await DriverHarness.StartAsync();

        await h.Driver.StartAsync(DriverHarness.Spec("i1", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"), CancellationToken.None);
        var exited = await h.Sink.WaitAsync("i1", WorkloadPhase.Exited);

        Assert.Equal(128 + 9, exited.ExitCode);
    }

    [Theory]
    [InlineData("/nonexistent/app")]
    [InlineData("no-such-command-knative-orleans")]
    public async Task MissingExecutable_ReportsExitedMinusOne_WithoutThrowing(string executable)
    {
        await using var h = await DriverHarness.StartAsync();
        var spec = DriverHarness.Spec("i1", "") with { CommandLine = [executable, "--flag"] };

        await h.Driver.StartAsync(spec, CancellationToken.None);
        var exited = await h.Sink.WaitAsync("i1", WorkloadPhase.Exited);

        Assert.Equal(-1, exited.ExitCode);
        Assert.Contains(executable, exited.Message);
        Assert.Equal([WorkloadPhase.Exited], h.Sink.Phases("i1"));
        Assert.Contains(executable, h.Driver.GetOutput(spec.RevisionKey, 1));
    }

    [Fact]
    public async Task MissingWorkingDirectory_ReportsExitedMinusOne()
    {
        await using var h = await DriverHarness.StartAsync();
        var spec = DriverHarness.Spec("i1", "print(1)") with { WorkingDir = "/nonexistent/dir" };

        await h.Driver.StartAsync(spec, CancellationToken.None);

        Assert.Equal(-1, (await h.Sink.WaitAsync("i1", WorkloadPhase.Exited)).ExitCode);
    }

    [Fact]
    public async Task WorkingDir_DefaultsToTheDataPathWorkFolder_AndSpecOverridesIt()
    {
        await using var h = await DriverHarness.StartAsync();
        var other = Directory.CreateTempSubdirectory("kn-local-driver-wd-").FullName;
        try
        {
            await h.Driver.StartAsync(DriverHarness.Spec("i1", "import os\nprint('cwd=' + os.getcwd())"), CancellationToken.None);
            await h.Driver.StartAsync(
                DriverHarness.Spec("i2", "import os\nprint('cwd=' + os.getcwd())") with { WorkingDir = other }, CancellationToken.None);

            Assert.Contains("cwd=" + Path.Combine(h.DataPath, "work"), (await h.Sink.WaitAsync("i1", WorkloadPhase.Exited)).Message);
            Assert.Contains("cwd=" + other, (await h.Sink.WaitAsync("i2", WorkloadPhase.Exited)).Message);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public async Task SinkExceptions_AreLogged_AndLaterReportsStillArrive()
    {
        var sink = new RecordingSink { Fault = s => s.Phase == WorkloadPhase.Starting ? new InvalidOperationException("sink down") : null };
        await using var h = await DriverHarness.StartAsync(sink: sink);

        await h.Driver.StartAsync(DriverHarness.Spec("i1", Scripts.HttpServer), CancellationToken.None);

        await h.Sink.WaitAsync("i1", WorkloadPhase.Ready);
    }
}
