using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>
/// Revision GC in the service grain on its own in-process cluster (a GC config with short retention, on the fake
/// clock, would collect the revisions of the shared cluster's tests).
/// </summary>
public sealed class ServiceGcTests : IAsyncLifetime
{
    private readonly ClusterFixture _fx = new()
    {
        Gc = new RevisionGcConfig
        {
            RetainSinceCreateTime = null,
            RetainSinceLastActiveTime = TimeSpan.FromHours(1),
            MinNonActiveRevisions = 1,
            MaxNonActiveRevisions = null,
        },
    };

    public Task InitializeAsync() => _fx.InitializeAsync();

    public Task DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task Stale_revisions_beyond_min_are_deleted_but_never_routed_or_no_gc_ones()
    {
        var client = new KnativeClient(_fx.Client);
        var v1 = ServiceGrainTests.Hello("gc", "v1");
        v1 = v1 with
        {
            Spec = v1.Spec! with
            {
                Template = v1.Spec.Template! with
                {
                    Metadata = new() { Annotations = new Dictionary<string, string> { [ServingLabels.NoGc] = "true" } },
                },
            },
        };
        await ApplyReadyAsync(client, v1, "gc-00001");
        await ApplyReadyAsync(client, ServiceGrainTests.Hello("gc", "v2"), "gc-00002");
        await ApplyReadyAsync(client, ServiceGrainTests.Hello("gc", "v3"), "gc-00003");
        await ApplyReadyAsync(client, Pinned("v4"), "gc-00004");
        await ApplyReadyAsync(client, Pinned("v5"), "gc-00005");

        // Non-active now: gc-00002 and gc-00004 (gc-00001 has no-gc, gc-00003 a tag, gc-00005 is the latest).
        // Nothing is stale yet.
        var grain = _fx.Client.GetGrain<IServiceGrain>("grains/gc");
        Assert.Equal(["gc-00001", "gc-00002", "gc-00003", "gc-00004", "gc-00005"], await grain.GetRevisionNamesAsync());

        // An hour later both are stale; min-non-active-revisions 1 keeps one, and the other goes at the next change.
        _fx.Time.Advance(TimeSpan.FromHours(1));
        await client.ApplyServiceAsync("grains", Pinned("v5"), ApplyMode.Replace);

        Assert.Equal(["gc-00001", "gc-00003", "gc-00004", "gc-00005"], await grain.GetRevisionNamesAsync());
        Assert.Null(await client.GetRevisionAsync("grains", "gc-00002"));
        Assert.DoesNotContain(_fx.Driver.Running.Values, s => s.RevisionKey == "grains/gc-00002");
        Assert.NotNull(await client.GetRevisionAsync("grains", "gc-00001"));
        Assert.NotNull(await client.GetRevisionAsync("grains", "gc-00003"));
    }

    /// <summary>Latest 100% and gc-00003 kept reachable by the tag "pinned".</summary>
    private static Service Pinned(string target)
    {
        var service = ServiceGrainTests.Hello("gc", target);
        return service with
        {
            Spec = service.Spec! with
            {
                Traffic =
                [
                    new TrafficTarget { LatestRevision = true, Percent = 100 },
                    new TrafficTarget { Tag = "pinned", RevisionName = "gc-00003", Percent = 0 },
                ],
            },
        };
    }

    private async Task ApplyReadyAsync(KnativeClient client, Service service, string revision)
    {
        await client.ApplyServiceAsync("grains", service, ApplyMode.Replace);
        var start = await _fx.Driver.NextStartAsync("grains/" + revision);
        await _fx.Client.ReportAsync(start, WorkloadPhase.Ready, "http://127.0.0.1:40001");
        await Eventually.Until(() => client.GetServiceAsync("grains", service.Metadata!.Name!),
            s => s!.Status!.LatestReadyRevisionName == revision, revision + " ready");
    }
}
