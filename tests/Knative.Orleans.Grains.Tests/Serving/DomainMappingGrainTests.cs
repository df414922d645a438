using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

[Collection(ClusterCollection.Name)]
public sealed class DomainMappingGrainTests(ClusterFixture fx)
{
    private static DomainMapping Mapping(string host, string service, string? kind = "Service") => new()
    {
        ApiVersion = DomainMapping.V1Beta1,
        Kind = "DomainMapping",
        Metadata = new ObjectMeta { Name = host },
        Spec = new DomainMappingSpec { Ref = new KReference { Kind = kind, ApiVersion = "serving.knative.dev/v1", Name = service } },
    };

    private IDomainMappingGrain Grain(string ns, string host) => fx.Client.GetGrain<IDomainMappingGrain>(ns + "/" + host);

    private static (string Status, string? Reason, string? Message) C(DomainMapping m, string type) =>
        ConditionSet.Get(m.Status!.Conditions, type) is { } c ? (c.Status, c.Reason, c.Message) : ("missing", null, null);

    [Fact]
    public async Task A_mapping_claims_its_host_resolves_the_service_and_points_the_host_at_it()
    {
        await new KnativeClient(fx.Client).ApplyServiceAsync("dm1", ServiceGrainTests.Hello("web"), ApplyMode.Create);

        var result = await Grain("dm1", "shop.example.org").ApplyAsync(Mapping("shop.example.org", "web"), ApplyMode.Create, "alice");

        Assert.Equal(ApplyOutcome.Created, result.Outcome);
        var m = result.Value!;
        Assert.Equal("http://shop.example.org", m.Status!.Url);
        Assert.Equal("http://shop.example.org", m.Status.Address!.Url);
        Assert.Equal(1, m.Status.ObservedGeneration);
        Assert.Equal("dm1", m.Spec!.Ref!.Namespace); // defaulted
        Assert.Equal("alice", m.Metadata!.Annotations![ServingLabels.Creator]);
        Assert.Equal((ConditionStatus.True, null, null), C(m, "Ready"));
        Assert.Equal((ConditionStatus.True, null, null), C(m, "DomainClaimed"));
        Assert.Equal((ConditionStatus.True, null, null), C(m, "ReferenceResolved"));
        Assert.Equal((ConditionStatus.True, null, null), C(m, "IngressReady"));
        Assert.Equal((ConditionStatus.True, "TLSNotEnabled", "autoTLS is not enabled"), C(m, "CertificateProvisioned"));

        var snapshot = await fx.Client.GetGrain<IDomainClaimGrain>("shop.example.org").GetSnapshotAsync();
        Assert.True(snapshot.Exists);
        Assert.Equal("dm1/web", snapshot.ServiceKey);

        var again = await Grain("dm1", "shop.example.org").ApplyAsync(Mapping("shop.example.org", "web"), ApplyMode.Create, "alice");
        Assert.Equal(ApplyOutcome.AlreadyExists, again.Outcome);
        Assert.Equal("domainmappings.serving.knative.dev \"shop.example.org\" already exists", again.Message);
    }

    [Fact]
    public async Task A_host_claimed_by_another_namespace_is_not_taken_until_released()
    {
        await new KnativeClient(fx.Client).ApplyServiceAsync("dm2", ServiceGrainTests.Hello("web"), ApplyMode.Create);
        await new KnativeClient(fx.Client).ApplyServiceAsync("dm3", ServiceGrainTests.Hello("web"), ApplyMode.Create);
        await Grain("dm2", "claimed.example.org").ApplyAsync(Mapping("claimed.example.org", "web"), ApplyMode.Create, "a");

        var second = (await Grain("dm3", "claimed.example.org").ApplyAsync(Mapping("claimed.example.org", "web"), ApplyMode.Create, "b")).Value!;

        Assert.Equal((ConditionStatus.False, "DomainAlreadyClaimed", "The domain name is already in use by another DomainMapping"), C(second, "DomainClaimed"));
        Assert.Equal((ConditionStatus.False, "DomainAlreadyClaimed", "The domain name is already in use by another DomainMapping"), C(second, "Ready"));
        Assert.Equal((ConditionStatus.Unknown, "IngressNotConfigured", "Ingress has not yet been reconciled."), C(second, "IngressReady"));
        Assert.Equal("dm2/web", (await fx.Client.GetGrain<IDomainClaimGrain>("claimed.example.org").GetSnapshotAsync()).ServiceKey);

        Assert.True(await Grain("dm2", "claimed.example.org").DeleteAsync());
        Assert.False((await fx.Client.GetGrain<IDomainClaimGrain>("claimed.example.org").GetSnapshotAsync()).Exists);
        Assert.Null(await Grain("dm2", "claimed.example.org").GetAsync());
        Assert.False(await Grain("dm2", "claimed.example.org").DeleteAsync());

        // The next reconcile (a read) of the other namespace's mapping takes the host over.
        var taken = (await Grain("dm3", "claimed.example.org").GetAsync())!;
        Assert.Equal(ConditionStatus.True, C(taken, "Ready").Status);
        Assert.Equal("dm3/web", (await fx.Client.GetGrain<IDomainClaimGrain>("claimed.example.org").GetSnapshotAsync()).ServiceKey);
    }

    [Fact]
    public async Task An_unresolved_reference_is_reported_and_resolves_once_the_service_exists()
    {
        var m = (await Grain("dm4", "later.example.org").ApplyAsync(Mapping("later.example.org", "late"), ApplyMode.Create, "a")).Value!;
        Assert.Equal((ConditionStatus.False, "ResolveFailed", "services.serving.knative.dev \"late\" not found"), C(m, "ReferenceResolved"));
        Assert.Equal(ConditionStatus.False, C(m, "Ready").Status);

        var wrongKind = (await Grain("dm4", "kind.example.org").ApplyAsync(Mapping("kind.example.org", "late", "Route"), ApplyMode.Create, "a")).Value!;
        Assert.StartsWith("unsupported reference serving.knative.dev/v1/Route \"late\"", C(wrongKind, "ReferenceResolved").Message);
        Assert.False((await fx.Client.GetGrain<IDomainClaimGrain>("kind.example.org").GetSnapshotAsync()).Exists);

        await new KnativeClient(fx.Client).ApplyServiceAsync("dm4", ServiceGrainTests.Hello("late"), ApplyMode.Create);
        var resolved = (await Grain("dm4", "later.example.org").GetAsync())!;
        Assert.Equal(ConditionStatus.True, C(resolved, "ReferenceResolved").Status);
        Assert.Equal(ConditionStatus.True, C(resolved, "Ready").Status);
    }

    [Fact]
    public async Task Invalid_mappings_are_refused_and_nothing_is_claimed()
    {
        var result = await Grain("dm5", "nodots").ApplyAsync(Mapping("nodots", "web"), ApplyMode.Create, "a");
        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.Equal("validation failed: invalid name \"nodots\": name: Invalid value: \"nodots\": should be a domain with at least two segments separated by dots: metadata.name", result.Message);
        Assert.Null(await Grain("dm5", "nodots").GetAsync());
    }
}
