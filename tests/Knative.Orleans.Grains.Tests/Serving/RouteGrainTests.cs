using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>Standalone Configuration and Route grains on the in-process cluster with the fake driver.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RouteGrainTests(ClusterFixture fx)
{
    private readonly KnativeClient _client = new(fx.Client);

    private static Configuration Config(string name, string target) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new ConfigurationSpec { Template = ServiceGrainTests.Hello(name, target).Spec!.Template },
    };

    private static Route Route(string name, params TrafficTarget[] traffic) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new RouteSpec { Traffic = [.. traffic] },
    };

    private async Task MakeReadyAsync(string ns, string revision, int port)
    {
        var start = await fx.Driver.NextStartAsync(ns + "/" + revision);
        await fx.Client.ReportAsync(start, WorkloadPhase.Ready, $"http://127.0.0.1:{port}");
    }

    [Fact]
    public async Task Route_follows_its_configurations_and_goes_not_ready_when_one_is_deleted()
    {
        const string Ns = "routegrains1";
        var created = await _client.ApplyConfigurationAsync(Ns, Config("c1", "one"), ApplyMode.Create);
        Assert.Equal(ApplyOutcome.Created, created.Outcome);
        Assert.Equal("c1-00001", created.Value!.Status!.LatestCreatedRevisionName);
        Assert.Equal(ConditionStatus.Unknown, ConditionSet.Get(created.Value.Status.Conditions, "Ready")!.Status);
        await _client.ApplyConfigurationAsync(Ns, Config("c2", "two"), ApplyMode.Create);

        var route = await _client.ApplyRouteAsync(Ns, Route("r1",
            new TrafficTarget { ConfigurationName = "c1", Percent = 70 }, new TrafficTarget { ConfigurationName = "c2", Percent = 30, Tag = "two" }), ApplyMode.Create);
        Assert.Equal(ApplyOutcome.Created, route.Outcome);
        Assert.Equal("RevisionMissing", ConditionSet.Get(route.Value!.Status!.Conditions, "AllTrafficAssigned")!.Reason);
        var snapshot = await fx.Client.GetGrain<IRouteGrain>(Ns + "/r1").GetRouteSnapshotAsync();
        Assert.True(snapshot.Exists);
        Assert.Empty(snapshot.Targets);
        Assert.Equal("c1-00001", snapshot.PendingRevision);

        await MakeReadyAsync(Ns, "c1-00001", 41001);
        await MakeReadyAsync(Ns, "c2-00001", 41002);
        var ready = await Eventually.Until(() => _client.GetRouteAsync(Ns, "r1"), r => ConditionSet.IsTrue(r!.Status!.Conditions, "Ready"), "route ready");
        Assert.Equal(["c1-00001", "c2-00001"], ready!.Status!.Traffic!.Select(t => t.RevisionName));
        snapshot = await fx.Client.GetGrain<IRouteGrain>(Ns + "/r1").GetRouteSnapshotAsync();
        Assert.Equal([("c1-00001", 70, (string?)null), ("c2-00001", 30, "two")], snapshot.Targets.Select(t => (t.RevisionName, t.Percent, t.Tag)));
        Assert.Null(snapshot.PendingRevision);

        // A new revision of c2 becomes ready: the route hears it from the configuration.
        var updated = await _client.ApplyConfigurationAsync(Ns, Config("c2", "two-b"), ApplyMode.Replace);
        Assert.Equal(2, updated.Value!.Metadata!.Generation);
        await MakeReadyAsync(Ns, "c2-00002", 41003);
        await Eventually.Until(() => fx.Client.GetGrain<IRouteGrain>(Ns + "/r1").GetRouteSnapshotAsync(),
            s => s.Targets.Any(t => t.RevisionName == "c2-00002"), "route follows c2-00002");
        var c2 = await _client.GetConfigurationAsync(Ns, "c2");
        Assert.Equal("c2-00002", c2!.Status!.LatestReadyRevisionName);
        Assert.True(ConditionSet.IsTrue(c2.Status.Conditions, "Ready"));
        var revision = await _client.GetRevisionAsync(Ns, "c2-00002");
        Assert.Equal("2", revision!.Metadata!.Labels![ServingLabels.ConfigurationGeneration]);
        Assert.False(revision.Metadata.Labels.ContainsKey(ServingLabels.Service));

        // Deleting c1: its revisions go, the route is False with ConfigurationMissing and keeps its last good routing.
        Assert.True(await _client.DeleteConfigurationAsync(Ns, "c1"));
        Assert.Null(await _client.GetRevisionAsync(Ns, "c1-00001"));
        var broken = await Eventually.Until(() => _client.GetRouteAsync(Ns, "r1"),
            r => ConditionSet.Get(r!.Status!.Conditions, "Ready")!.Status == ConditionStatus.False, "route not ready");
        var assigned = ConditionSet.Get(broken!.Status!.Conditions, "AllTrafficAssigned")!;
        Assert.Equal(("ConfigurationMissing", "Configuration \"c1\" referenced in traffic not found."), (assigned.Reason, assigned.Message));

        Assert.True(await _client.DeleteRouteAsync(Ns, "r1"));
        Assert.False((await fx.Client.GetGrain<IRouteGrain>(Ns + "/r1").GetRouteSnapshotAsync()).Exists);
        Assert.True(await _client.DeleteConfigurationAsync(Ns, "c2"));
        Assert.Empty(await _client.ListRevisionsAsync(Ns));
    }

    [Fact]
    public async Task Byo_names_are_immutable_and_service_children_are_not_changed_directly()
    {
        const string Ns = "routegrains2";
        var config = Config("byo", "one") is var c ? c with { Spec = c.Spec! with { Template = c.Spec.Template! with { Metadata = new ObjectMeta { Name = "byo-a" } } } } : null!;
        Assert.Equal(ApplyOutcome.Created, (await _client.ApplyConfigurationAsync(Ns, config, ApplyMode.Create)).Outcome);
        Assert.NotNull(await _client.GetRevisionAsync(Ns, "byo-a"));

        var changed = config with
        {
            Spec = config.Spec! with
            {
                Template = config.Spec.Template! with { Spec = config.Spec.Template.Spec! with { ContainerConcurrency = 5 } },
            },
        };
        var refused = await _client.ApplyConfigurationAsync(Ns, changed, ApplyMode.Replace);
        Assert.Equal(ApplyOutcome.Invalid, refused.Outcome);
        Assert.Equal("validation failed: Saw the following changes without a name change (-old +new): spec.template.metadata.name\n"
            + "{*v1.RevisionTemplateSpec}.Spec.ContainerConcurrency:\n\t-: \"0\"\n\t+: \"5\"", refused.Message);

        // The name of a revision of another configuration is taken: stored, and Ready False as Knative's failed create.
        var other = Config("byo-other", "x") is var o ? o with { Spec = o.Spec! with { Template = o.Spec.Template! with { Metadata = new ObjectMeta { Name = "byo-other-a" } } } } : null!;
        await _client.ApplyConfigurationAsync(Ns, other, ApplyMode.Create);
        var taken = await _client.ApplyConfigurationAsync(Ns, changed with
        {
            Spec = changed.Spec! with { Template = changed.Spec.Template! with { Metadata = new ObjectMeta { Name = "byo-other-a" } } },
        }, ApplyMode.Replace);
        Assert.Equal(ApplyOutcome.Updated, taken.Outcome);
        var failed = ConditionSet.Get(taken.Value!.Status!.Conditions, "Ready")!;
        Assert.Equal((ConditionStatus.False, "RevisionFailed", "Revision creation failed with message: revisions.serving.knative.dev \"byo-other-a\" already exists."),
            (failed.Status, failed.Reason, failed.Message));
        Assert.Equal("byo-a", taken.Value.Status.LatestCreatedRevisionName);
        Assert.Equal("byo-other", (await _client.GetRevisionAsync(Ns, "byo-other-a"))!.Metadata!.Labels![ServingLabels.Configuration]);

        // A free name recovers.
        var freed = await _client.ApplyConfigurationAsync(Ns, changed with
        {
            Spec = changed.Spec! with { Template = changed.Spec.Template! with { Metadata = new ObjectMeta { Name = "byo-b" } } },
        }, ApplyMode.Replace);
        Assert.Equal("byo-b", freed.Value!.Status!.LatestCreatedRevisionName);
        Assert.Equal(ConditionStatus.Unknown, ConditionSet.Get(freed.Value.Status.Conditions, "Ready")!.Status);
        config = freed.Value with { Status = null };

        var creator = config with { Metadata = new ObjectMeta { Name = "byo", Annotations = new() { [ServingLabels.Creator] = "mallory" } } };
        var immutable = await _client.ApplyConfigurationAsync(Ns, creator, ApplyMode.Replace);
        Assert.Equal("validation failed: annotation value is immutable: metadata.annotations.serving.knative.dev/creator", immutable.Message);

        await _client.ApplyServiceAsync(Ns, ServiceGrainTests.Hello("svc"), ApplyMode.Create);
        var owned = await _client.ApplyConfigurationAsync(Ns, Config("svc", "x"), ApplyMode.Replace);
        Assert.Equal(ApplyOutcome.Conflict, owned.Outcome);
        Assert.Equal(ApplyOutcome.AlreadyExists, (await _client.ApplyRouteAsync(Ns, Route("svc"), ApplyMode.Create)).Outcome);
        var notOwned = await _client.ApplyServiceAsync(Ns, ServiceGrainTests.Hello("byo"), ApplyMode.Create);
        Assert.Equal(ApplyOutcome.Created, notOwned.Outcome);
        Assert.Equal("There is an existing Configuration \"byo\" that we do not own.", ConditionSet.Get(notOwned.Value!.Status!.Conditions, "ConfigurationsReady")!.Message);

        var names = (await _client.ListConfigurationsAsync(Ns)).Select(x => x.Metadata!.Name).ToArray();
        Assert.Contains("svc", names);
        Assert.Contains("byo", names);
        await _client.DeleteServiceAsync(Ns, "svc");
        await _client.DeleteServiceAsync(Ns, "byo");
        await _client.DeleteConfigurationAsync(Ns, "byo");
        await _client.DeleteConfigurationAsync(Ns, "byo-other");
    }

    [Fact]
    public async Task Route_rollout_duration_moves_traffic_to_the_new_revision_in_steps()
    {
        const string Ns = "routegrains3";
        await _client.ApplyConfigurationAsync(Ns, Config("roll", "one"), ApplyMode.Create);
        await MakeReadyAsync(Ns, "roll-00001", 42001);
        var route = Route("gradual", new TrafficTarget { ConfigurationName = "roll", Percent = 100 });
        route = route with { Metadata = route.Metadata! with { Annotations = new() { ["serving.knative.dev/rollout-duration"] = "10s" } } };
        await _client.ApplyRouteAsync(Ns, route, ApplyMode.Create);
        var grain = fx.Client.GetGrain<IRouteGrain>(Ns + "/gradual");
        await Eventually.Until(grain.GetRouteSnapshotAsync, s => s.Targets.Any(t => t.RevisionName == "roll-00001" && t.Percent == 100), "v1 routed");

        await _client.ApplyConfigurationAsync(Ns, Config("roll", "two"), ApplyMode.Replace);
        await MakeReadyAsync(Ns, "roll-00002", 42002);

        // The new revision gets 1% at once; the plan (observed right after the publish): minStep 1 s, D 9 s, 9 steps of 11.
        var first = await Eventually.Until(grain.GetRouteSnapshotAsync, s => s.Targets.Any(t => t.RevisionName == "roll-00002"), "v2 gets 1%");
        Assert.Equal([("roll-00001", 99), ("roll-00002", 1)], first.Targets.Select(t => (t.RevisionName, t.Percent)));
        var status = await _client.GetRouteAsync(Ns, "gradual");
        Assert.Equal([("roll-00001", 99L, false), ("roll-00002", 1L, true)],
            status!.Status!.Traffic!.Select(t => (t.RevisionName!, t.Percent!.Value, t.LatestRevision!.Value)));

        // Each step is due on the (fake) clock; the grain timer applies it.
        var expected = 1;
        for (var step = 1; step <= 9; step++)
        {
            fx.Time.Advance(TimeSpan.FromSeconds(1));
            expected = Math.Min(100, expected + 11);
            var want = expected;
            await Eventually.Until(grain.GetRouteSnapshotAsync,
                s => s.Targets.FirstOrDefault(t => t.RevisionName == "roll-00002")?.Percent == want, $"step {step}: v2 at {want}%");
        }

        var done = await grain.GetRouteSnapshotAsync();
        Assert.Equal(("roll-00002", 100), (Assert.Single(done.Targets).RevisionName, Assert.Single(done.Targets).Percent));
        await _client.DeleteRouteAsync(Ns, "gradual");
        await _client.DeleteConfigurationAsync(Ns, "roll");
    }
}
