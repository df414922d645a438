using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Serving;

[Collection(ClusterCollection.Name)]
public sealed class RevisionGrainTests(ClusterFixture fx)
{
    private readonly KnativeClient _client = new(fx.Client);

    [Fact]
    public async Task Idle_revision_scales_to_zero_once_active_for_the_stable_window_and_cold_starts_on_demand()
    {
        var (revision, start) = await ReadyServiceAsync("zero1");
        var grain = fx.Client.GetGrain<IRevisionWorkloadGrain>(revision);

        fx.Time.Advance(TimeSpan.FromSeconds(5)); // Active for 5 s of a 6 s stable window: the last instance stays
        await grain.TickAsync();
        Assert.Single((await Revision(revision).GetEndpointsAsync()).Ready);

        fx.Time.Advance(TimeSpan.FromSeconds(2));
        await grain.TickAsync();
        Assert.Equal(start.InstanceId, await fx.Driver.NextStopAsync(revision));
        var status = (await Revision(revision).GetAsync())!.Status!;
        Assert.Equal(0, status.ActualReplicas);
        Assert.Equal(0, status.DesiredReplicas);
        var active = ConditionSet.Get(status.Conditions, "Active")!;
        Assert.Equal(("False", "NoTraffic"), (active.Status, active.Reason));
        Assert.True(ConditionSet.IsTrue(status.Conditions, "Ready"), "a revision at zero stays Ready");
        Assert.Empty((await Revision(revision).GetEndpointsAsync()).Ready);

        // Cold start: activation starts an instance; a waiter is released by its readiness.
        var endpoints = await Revision(revision).ActivateAsync();
        Assert.Empty(endpoints.Ready);
        var restart = await fx.Driver.NextStartAsync(revision);
        var wait = Revision(revision).WaitForReadyAsync(TimeSpan.FromMinutes(5));
        await fx.Client.ReportAsync(restart, WorkloadPhase.Ready, "http://127.0.0.1:40100");
        var ready = await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("http://127.0.0.1:40100", Assert.Single(ready.Ready).Address);
    }

    [Fact]
    public async Task Traffic_reports_keep_the_revision_up()
    {
        var (revision, _) = await ReadyServiceAsync("busy1");
        var grain = fx.Client.GetGrain<IRevisionWorkloadGrain>(revision);
        for (var i = 0; i < 5; i++)
        {
            fx.Time.Advance(TimeSpan.FromSeconds(4));
            await Revision(revision).ReportMetricsAsync(new RevisionMetricSample { GatewayId = "g", InFlight = 1, RequestCount = 1, AverageConcurrency = 1 });
            // One-way: without this wait the report sometimes landed after this tick and the next clock step, so the
            // next tick saw 8 s without traffic (more than the 6 s stable window) and scaled the revision to zero.
            await fx.OneWay.ProcessedAsync(revision, nameof(IRevisionGrain.ReportMetricsAsync));
            await grain.TickAsync();
        }

        Assert.Single((await Revision(revision).GetEndpointsAsync()).Ready);
        Assert.Equal(1, (await Revision(revision).GetAsync())!.Status!.DesiredReplicas);
    }

    [Fact]
    public async Task Exit_before_ready_marks_the_revision_failed_with_the_exit_code_and_retries_with_backoff()
    {
        await _client.ApplyServiceAsync("grains", ServiceGrainTests.Hello("crash1"), ApplyMode.Create);
        const string revision = "grains/crash1-00001";
        var start = await fx.Driver.NextStartAsync(revision);
        var waiter = Revision(revision).WaitForReadyAsync(TimeSpan.FromMinutes(5));

        await fx.Client.ReportAsync(start, WorkloadPhase.Exited, exitCode: 3, message: "Traceback...\nboom\n");

        var failed = await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(failed.Failed);
        Assert.Equal("Container failed with: Traceback...\nboom", failed.Message);
        var status = (await Revision(revision).GetAsync())!.Status!;
        var ready = ConditionSet.Get(status.Conditions, "Ready")!;
        Assert.Equal(("False", "ExitCode3"), (ready.Status, ready.Reason));
        Assert.Equal("ExitCode3", ConditionSet.Get(status.Conditions, "ContainerHealthy")!.Reason);

        var svc = await Eventually.Until(() => _client.GetServiceAsync("grains", "crash1"),
            s => ConditionSet.Get(s!.Status!.Conditions, "ConfigurationsReady")!.Status == "False", "service failed");
        var cfgReady = ConditionSet.Get(svc!.Status!.Conditions, "ConfigurationsReady")!;
        Assert.Equal("RevisionFailed", cfgReady.Reason);
        Assert.Equal("Revision \"crash1-00001\" failed with message: Container failed with: Traceback...\nboom.", cfgReady.Message);
        Assert.Equal("Configuration \"crash1\" does not have any ready Revision.", ConditionSet.Get(svc.Status.Conditions, "RoutesReady")!.Message);

        // Backoff: no restart before 1 s has passed, one after.
        await fx.Client.GetGrain<IRevisionWorkloadGrain>(revision).TickAsync();
        Assert.False(fx.Driver.HasPendingStart(revision));
        fx.Time.Advance(TimeSpan.FromSeconds(1));
        await fx.Client.GetGrain<IRevisionWorkloadGrain>(revision).TickAsync();
        var retry = await fx.Driver.NextStartAsync(revision);
        await fx.Client.ReportAsync(retry, WorkloadPhase.Ready, "http://127.0.0.1:40200");
        await Eventually.Until(() => _client.GetServiceAsync("grains", "crash1"),
            s => ConditionSet.IsTrue(s!.Status!.Conditions, "Ready"), "service recovered");
    }

    [Fact]
    public async Task Report_for_an_unknown_instance_stops_it()
    {
        var (revision, _) = await ReadyServiceAsync("orphan1");
        await fx.Driver.StartAsync(new WorkloadSpec
        {
            RevisionKey = revision,
            InstanceId = "stray",
            CommandLine = ["x"],
            Env = new Dictionary<string, string>(),
        }, CancellationToken.None);
        await fx.Driver.NextStartAsync(revision);

        await fx.Client.GetGrain<IRevisionWorkloadGrain>(revision).ReportWorkloadAsync(new WorkloadStatus
        {
            RevisionKey = revision,
            InstanceId = "stray",
            Phase = WorkloadPhase.Ready,
            Address = "http://127.0.0.1:1",
        });

        Assert.Equal("stray", await fx.Driver.NextStopAsync(revision));
    }

    [Fact]
    public async Task A_revision_scaled_above_zero_is_indexed_and_a_new_activation_starts_its_instances_again()
    {
        var (revision, start) = await ReadyServiceAsync("reborn1");
        var scaled = fx.Client.GetGrain<IResourceIndexGrain>(Grains.Serving.RevisionGrain.ScaledRevisionsKey);
        Assert.Contains(revision, await scaled.ListAsync());

        // Its silo died: the activation is gone with its instances (here: deactivated, which stops them).
        await fx.Cluster.DeactivateAsync(Revision(revision));
        Assert.Equal(start.InstanceId, await fx.Driver.NextStopAsync(revision));

        // The resumer activates it on a live silo: the new activation starts what is still wanted, without a request.
        Assert.NotNull(await Revision(revision).GetAsync());
        var restart = await fx.Driver.NextStartAsync(revision);
        Assert.NotEqual(start.InstanceId, restart.InstanceId);
        await fx.Client.ReportAsync(restart, WorkloadPhase.Ready, "http://127.0.0.1:40200");
        await Eventually.Until(() => Revision(revision).GetEndpointsAsync(), e => e.Ready.Length == 1, "the restarted instance ready");

        // Once it is at zero it leaves the index: nothing to bring back.
        fx.Time.Advance(TimeSpan.FromSeconds(7));
        await fx.Client.GetGrain<IRevisionWorkloadGrain>(revision).TickAsync();
        Assert.Equal(restart.InstanceId, await fx.Driver.NextStopAsync(revision));
        Assert.DoesNotContain(revision, await scaled.ListAsync());
    }

    private async Task<(string Revision, WorkloadSpec Start)> ReadyServiceAsync(string name)
    {
        await _client.ApplyServiceAsync("grains", ServiceGrainTests.Hello(name), ApplyMode.Create);
        var revision = $"grains/{name}-00001";
        var start = await fx.Driver.NextStartAsync(revision);
        await fx.Client.ReportAsync(start, WorkloadPhase.Ready, "http://127.0.0.1:40000");
        return (revision, start);
    }

    private IRevisionGrain Revision(string key) => fx.Client.GetGrain<IRevisionGrain>(key);
}
