using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>The KPA decider and bounds applied by the revision grain (fake driver, fake clock).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RevisionAutoscalingTests(ClusterFixture fx)
{
    private readonly KnativeClient _client = new(fx.Client);

    [Theory]
    [InlineData("burst1", null, 15)]   // CC=1 ⇒ target 0.7; 10 concurrent ⇒ ceil(10 / 0.7) = 15 (panic, up-rate 1000)
    [InlineData("burst2", "5", 5)]     // max-scale caps it
    public async Task A_burst_scales_to_the_needed_instances_within_one_decision(string name, string? maxScale, int expected)
    {
        var annotations = maxScale is null ? null : new Dictionary<string, string> { ["autoscaling.knative.dev/max-scale"] = maxScale };
        var revision = await ReadyAsync(name, containerConcurrency: 1, annotations);

        // The sample is a one-way call: wait until the grain has taken it in, then one decision.
        await Revision(revision).ReportMetricsAsync(new RevisionMetricSample { GatewayId = "g", AverageConcurrency = 10, RequestCount = 10, InFlight = 10 });
        await fx.OneWay.ProcessedAsync(revision, nameof(IRevisionGrain.ReportMetricsAsync));
        await fx.Client.GetGrain<IRevisionWorkloadGrain>(revision).TickAsync();
        Assert.Equal(expected, (await Revision(revision).GetAsync())!.Status!.DesiredReplicas);
        for (var i = 1; i < expected; i++)
        {
            await fx.Driver.NextStartAsync(revision);
        }

        Assert.False(fx.Driver.HasPendingStart(revision));
        Assert.Equal(expected, (await Revision(revision).GetAsync())!.Status!.DesiredReplicas);
    }

    [Fact]
    public async Task Min_scale_keeps_a_floor_while_routed_and_not_once_unrouted()
    {
        var revision = await ReadyAsync("floor1", containerConcurrency: 0, new Dictionary<string, string> { ["autoscaling.knative.dev/min-scale"] = "2" });
        var grain = fx.Client.GetGrain<IRevisionWorkloadGrain>(revision);

        await grain.TickAsync();
        var second = await fx.Driver.NextStartAsync(revision);
        await fx.Client.ReportAsync(second, WorkloadPhase.Ready, "http://127.0.0.1:40301");
        fx.Time.Advance(TimeSpan.FromMinutes(5));
        await grain.TickAsync();
        Assert.Equal(2, (await Revision(revision).GetEndpointsAsync()).Ready.Length);
        Assert.Equal(2, (await Revision(revision).GetAsync())!.Status!.DesiredReplicas);

        await Revision(revision).SetRoutedAsync(false); // one-way; it reconciles when it lands
        await fx.Driver.NextStopAsync(revision);
        await fx.Driver.NextStopAsync(revision);
        Assert.Empty((await Revision(revision).GetEndpointsAsync()).Ready);
        Assert.Equal(0, (await Revision(revision).GetAsync())!.Status!.DesiredReplicas);
    }

    private async Task<string> ReadyAsync(string name, long containerConcurrency, Dictionary<string, string>? annotations)
    {
        var service = ServiceGrainTests.Hello(name);
        service = service with
        {
            Spec = service.Spec! with
            {
                Template = service.Spec.Template! with
                {
                    Metadata = new ObjectMeta { Annotations = annotations },
                    Spec = service.Spec.Template.Spec! with { ContainerConcurrency = containerConcurrency },
                },
            },
        };
        var result = await _client.ApplyServiceAsync("scaling", service, ApplyMode.Create);
        Assert.True(result.Succeeded, result.Message);
        var revision = $"scaling/{name}-00001";
        var start = await fx.Driver.NextStartAsync(revision);
        await fx.Client.ReportAsync(start, WorkloadPhase.Ready, "http://127.0.0.1:40300");
        return revision;
    }

    private IRevisionGrain Revision(string key) => fx.Client.GetGrain<IRevisionGrain>(key);
}
