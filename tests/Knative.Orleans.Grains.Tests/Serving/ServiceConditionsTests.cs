using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>Knative's Service conditions for conflicts: RevisionNameTaken and NotOwned.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceConditionsTests(ClusterFixture fx)
{
    private readonly KnativeClient _client = new(fx.Client);

    private static Service Named(string service, string revision, string target) =>
        ServiceGrainTests.Hello(service, target) is var s
            ? s with { Spec = s.Spec! with { Template = s.Spec.Template! with { Metadata = new ObjectMeta { Name = revision } } } }
            : null!;

    private async Task MakeReadyAsync(string ns, string revision, int port)
    {
        var start = await fx.Driver.NextStartAsync(ns + "/" + revision);
        await fx.Client.ReportAsync(start, WorkloadPhase.Ready, $"http://127.0.0.1:{port}");
    }

    private static (string? Status, string? Reason, string? Message) Cond(IEnumerable<Condition>? conditions, string type) =>
        ConditionSet.Get(conditions?.ToList(), type) is { } c ? (c.Status, c.Reason, c.Message) : (null, null, null);

    [Fact]
    public async Task A_byo_name_taken_by_another_configuration_fails_the_configuration_and_keeps_the_traffic()
    {
        const string Ns = "svcconds1";
        await _client.ApplyServiceAsync(Ns, Named("taken", "taken-a", "one"), ApplyMode.Create);
        await MakeReadyAsync(Ns, "taken-a", 43001);
        await Eventually.Until(() => _client.GetServiceAsync(Ns, "taken"), s => ConditionSet.IsTrue(s!.Status!.Conditions, "Ready"), "taken ready");

        // A standalone configuration "taken-x" owns the revision "taken-x-a", a valid BYO name for the service too.
        var config = new Configuration
        {
            Metadata = new ObjectMeta { Name = "taken-x" },
            Spec = new ConfigurationSpec { Template = Named("taken-x", "taken-x-a", "x").Spec!.Template },
        };
        await _client.ApplyConfigurationAsync(Ns, config, ApplyMode.Create);

        var updated = await _client.ApplyServiceAsync(Ns, Named("taken", "taken-x-a", "x"), ApplyMode.Replace);
        Assert.Equal(ApplyOutcome.Updated, updated.Outcome);
        var status = updated.Value!.Status!;
        const string Taken = "The revision name \"taken-x-a\" is taken by a conflicting Revision, so traffic will not be migrated";
        Assert.Equal((ConditionStatus.False, "RevisionFailed", "Revision creation failed with message: revisions.serving.knative.dev \"taken-x-a\" already exists."),
            Cond(status.Conditions, "ConfigurationsReady"));
        Assert.Equal((ConditionStatus.False, "RevisionNameTaken", Taken), Cond(status.Conditions, "RoutesReady"));
        Assert.Equal((ConditionStatus.False, "RevisionNameTaken", Taken), Cond(status.Conditions, "Ready"));
        Assert.Equal("taken-a", status.LatestCreatedRevisionName);
        Assert.Equal("taken-a", Assert.Single(status.Traffic!).RevisionName);
        var configuration = await _client.GetConfigurationAsync(Ns, "taken");
        Assert.Equal("RevisionFailed", Cond(configuration!.Status!.Conditions, "Ready").Reason);
        Assert.Equal(["taken-a"], await fx.Client.GetGrain<IServiceGrain>(Ns + "/taken").GetRevisionNamesAsync());
        Assert.Equal("taken-x", (await _client.GetRevisionAsync(Ns, "taken-x-a"))!.Metadata!.Labels![ServingLabels.Configuration]);
        var snapshot = await fx.Client.GetGrain<IServiceGrain>(Ns + "/taken").GetRouteSnapshotAsync();
        Assert.Equal(("taken-a", 100), (Assert.Single(snapshot.Targets).RevisionName, Assert.Single(snapshot.Targets).Percent));

        // The same spec under its own earlier name is the same revision; another spec under it is a conflict too.
        var own = await _client.ApplyServiceAsync(Ns, Named("taken", "taken-a", "changed"), ApplyMode.Replace);
        Assert.Equal("RevisionNameTaken", Cond(own.Value!.Status!.Conditions, "Ready").Reason);

        // A free name recovers: stamped, and once ready the traffic migrates.
        var freed = await _client.ApplyServiceAsync(Ns, Named("taken", "taken-b", "two"), ApplyMode.Replace);
        Assert.Equal("taken-b", freed.Value!.Status!.LatestCreatedRevisionName);
        Assert.NotEqual(ConditionStatus.False, Cond(freed.Value.Status.Conditions, "Ready").Status);
        await MakeReadyAsync(Ns, "taken-b", 43002);
        var ready = await Eventually.Until(() => _client.GetServiceAsync(Ns, "taken"), s => ConditionSet.IsTrue(s!.Status!.Conditions, "Ready"), "taken-b ready");
        Assert.Equal("taken-b", Assert.Single(ready!.Status!.Traffic!).RevisionName);

        await _client.DeleteServiceAsync(Ns, "taken");
        Assert.NotNull(await _client.GetRevisionAsync(Ns, "taken-x-a")); // not the service's to delete
        await _client.DeleteConfigurationAsync(Ns, "taken-x");
    }
    [Fact]
    public async Task A_service_named_like_a_standalone_configuration_or_route_is_not_owned_until_they_are_deleted()
    {
        const string Ns = "svcconds2";
        var config = new Configuration { Metadata = new ObjectMeta { Name = "mine" }, Spec = new ConfigurationSpec { Template = ServiceGrainTests.Hello("mine", "c").Spec!.Template } };
        await _client.ApplyConfigurationAsync(Ns, config, ApplyMode.Create);
        await MakeReadyAsync(Ns, "mine-00001", 43101);
        var route = new Route
        {
            Metadata = new ObjectMeta { Name = "mine" },
            Spec = new RouteSpec { Traffic = [new TrafficTarget { ConfigurationName = "mine", Percent = 100 }] },
        };
        await _client.ApplyRouteAsync(Ns, route, ApplyMode.Create);
        var routeGrain = fx.Client.GetGrain<IRouteGrain>(Ns + "/mine");
        await Eventually.Until(routeGrain.GetRouteSnapshotAsync, s => s.Targets.Any(t => t.RevisionName == "mine-00001"), "standalone route routes");

        // Created, but the Configuration of its name is not its own: no revision, no routing of its own.
        var created = await _client.ApplyServiceAsync(Ns, ServiceGrainTests.Hello("mine", "svc"), ApplyMode.Create);
        Assert.Equal(ApplyOutcome.Created, created.Outcome);
        const string NotOwnedConfiguration = "There is an existing Configuration \"mine\" that we do not own.";
        Assert.Equal((ConditionStatus.False, "NotOwned", NotOwnedConfiguration), Cond(created.Value!.Status!.Conditions, "ConfigurationsReady"));
        Assert.Equal((ConditionStatus.False, "NotOwned", NotOwnedConfiguration), Cond(created.Value.Status.Conditions, "Ready"));
        var service = fx.Client.GetGrain<IServiceGrain>(Ns + "/mine");
        Assert.Empty(await service.GetRevisionNamesAsync());
        Assert.False((await service.GetRouteSnapshotAsync()).Exists);
        Assert.Equal(["mine-00001"], await fx.Client.GetGrain<IConfigurationGrain>(Ns + "/mine").GetRevisionNamesAsync());
        Assert.Null(await service.GetConfigurationAsync());
        Assert.Single(await _client.ListConfigurationsAsync(Ns), c => c.Metadata!.Name == "mine");

        // The standalone objects stay changeable while the service does not own them.
        Assert.Equal(ApplyOutcome.Updated, (await _client.ApplyConfigurationAsync(Ns, config, ApplyMode.Replace)).Outcome);

        // The configuration goes: the service hears it, stamps its revision, and now stops at the foreign Route.
        await _client.DeleteConfigurationAsync(Ns, "mine");
        var routeNotOwned = await Eventually.Until(() => _client.GetServiceAsync(Ns, "mine"),
            s => Cond(s!.Status!.Conditions, "RoutesReady").Reason == "NotOwned", "route not owned");
        Assert.Equal((ConditionStatus.False, "NotOwned", "There is an existing Route \"mine\" that we do not own."), Cond(routeNotOwned!.Status!.Conditions, "Ready"));
        Assert.Equal("mine-00001", routeNotOwned.Status.LatestCreatedRevisionName);
        Assert.Equal("mine", (await _client.GetRevisionAsync(Ns, "mine-00001"))!.Metadata!.Labels![ServingLabels.Service]);
        await MakeReadyAsync(Ns, "mine-00001", 43102);
        Assert.False((await service.GetRouteSnapshotAsync()).Exists);
        Assert.True((await routeGrain.GetRouteSnapshotAsync()).Exists);
        Assert.Null(await service.GetRouteAsync());

        // The route goes: the service owns both, is Ready and routes.
        await _client.DeleteRouteAsync(Ns, "mine");
        var ready = await Eventually.Until(() => _client.GetServiceAsync(Ns, "mine"), s => ConditionSet.IsTrue(s!.Status!.Conditions, "Ready"), "service ready");
        Assert.Equal("mine-00001", Assert.Single(ready!.Status!.Traffic!).RevisionName);
        var snapshot = await service.GetRouteSnapshotAsync();
        Assert.True(snapshot.Exists);
        Assert.Equal("mine-00001", Assert.Single(snapshot.Targets).RevisionName);
        Assert.Equal("Service", (await _client.GetRouteAsync(Ns, "mine"))!.Metadata!.OwnerReferences![0].Kind);
        await _client.DeleteServiceAsync(Ns, "mine");
    }
    [Fact]
    public async Task A_standalone_route_follows_a_services_configuration_to_each_new_ready_revision()
    {
        const string Ns = "svcconds3";
        var route = new Route
        {
            Metadata = new ObjectMeta { Name = "follow" },
            Spec = new RouteSpec { Traffic = [new TrafficTarget { ConfigurationName = "web", Percent = 100 }] },
        };

        // The route comes first: the configuration is missing until the service exists.
        var created = await _client.ApplyRouteAsync(Ns, route, ApplyMode.Create);
        Assert.Equal("ConfigurationMissing", Cond(created.Value!.Status!.Conditions, "AllTrafficAssigned").Reason);

        await _client.ApplyServiceAsync(Ns, ServiceGrainTests.Hello("web", "one"), ApplyMode.Create);
        await MakeReadyAsync(Ns, "web-00001", 43201);
        var grain = fx.Client.GetGrain<IRouteGrain>(Ns + "/follow");
        await Eventually.Until(grain.GetRouteSnapshotAsync, s => s.Targets.Any(t => t.RevisionName == "web-00001" && t.Percent == 100), "route follows web-00001");

        // A new revision of the service: the route follows it once it is ready.
        await _client.ApplyServiceAsync(Ns, ServiceGrainTests.Hello("web", "two"), ApplyMode.Replace);
        Assert.Equal("web-00001", Assert.Single((await grain.GetRouteSnapshotAsync()).Targets).RevisionName);
        await MakeReadyAsync(Ns, "web-00002", 43202);
        await Eventually.Until(grain.GetRouteSnapshotAsync, s => s.Targets.Any(t => t.RevisionName == "web-00002" && t.Percent == 100), "route follows web-00002");
        var ready = await Eventually.Until(() => _client.GetRouteAsync(Ns, "follow"), r => ConditionSet.IsTrue(r!.Status!.Conditions, "Ready"), "route ready");
        Assert.Equal("web-00002", Assert.Single(ready!.Status!.Traffic!).RevisionName);

        // The service goes: the configuration is missing again and the last good routing stays.
        await _client.DeleteServiceAsync(Ns, "web");
        var missing = await Eventually.Until(() => _client.GetRouteAsync(Ns, "follow"),
            r => Cond(r!.Status!.Conditions, "AllTrafficAssigned").Reason == "ConfigurationMissing", "configuration missing");
        Assert.Equal("Configuration \"web\" referenced in traffic not found.", Cond(missing!.Status!.Conditions, "Ready").Message);
        await _client.DeleteRouteAsync(Ns, "follow");
    }
}
