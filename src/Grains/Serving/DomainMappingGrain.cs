using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Eventing;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Persisted state of a <see cref="DomainMappingGrain"/>.</summary>
[GenerateSerializer, Alias("kn.DomainMappingState")]
public sealed class DomainMappingState
{
    /// <summary>The mapping as stored (spec with the ref's namespace defaulted), without status.</summary>
    [Id(0)] public DomainMapping? Mapping { get; set; }

    /// <summary>The last computed status (kept so that lastTransitionTime is stable).</summary>
    [Id(1)] public DomainMappingStatus? Status { get; set; }

    /// <summary>Bumped on every stored change (metadata.resourceVersion).</summary>
    [Id(2)] public long ResourceVersion { get; set; }
}

/// <summary>
/// A DomainMapping: stores it, claims its host (<see cref="IDomainClaimGrain"/>, one namespace per host) and points
/// the host at the referenced Knative Service. Each apply and each read reconciles: the claim is retried (a host
/// released by another namespace is taken over) and the reference re-resolved (a service created later resolves).
/// </summary>
[GrainType("domainmapping")]
public sealed class DomainMappingGrain(
    [PersistentState("domainmapping", "store")] IPersistentState<DomainMappingState> state,
    TimeProvider time) : Grain, IDomainMappingGrain
{
    private string Key => this.GetPrimaryKeyString();

    private string Namespace => Key.Split('/')[0];

    private string Name => Key.Split('/')[1];

    /// <inheritdoc />
    public async Task<ApplyResult<DomainMapping>> ApplyAsync(DomainMapping mapping, ApplyMode mode, string user)
    {
        var meta = mapping.Metadata ?? new Contracts.Meta.ObjectMeta();
        if (meta.Name != Name || (meta.Namespace ?? Namespace) != Namespace)
        {
            return Refuse(ApplyOutcome.Invalid, $"the name/namespace of the object ({meta.Namespace}/{meta.Name}) does not match the key {Key}");
        }

        var errors = DomainMappingValidation.Validate(mapping, Namespace);
        if (!errors.IsEmpty)
        {
            return Refuse(ApplyOutcome.Invalid, "validation failed: " + errors);
        }

        var existing = state.State.Mapping;
        if (existing is not null && mode == ApplyMode.Create)
        {
            return Refuse(ApplyOutcome.AlreadyExists, $"domainmappings.serving.knative.dev \"{Name}\" already exists");
        }

        var spec = mapping.Spec! with { Ref = mapping.Spec!.Ref! with { Namespace = Namespace } };
        var specChanged = existing is null || !SpecComparer.Equal(existing.Spec, spec);
        var annotations = new Dictionary<string, string>(meta.Annotations ?? []);
        annotations[ServingLabels.Creator] = existing?.Metadata?.Annotations?.GetValueOrDefault(ServingLabels.Creator) ?? user;
        annotations[ServingLabels.LastModifier] = specChanged
            ? user
            : existing?.Metadata?.Annotations?.GetValueOrDefault(ServingLabels.LastModifier) ?? user;
        var version = state.State.ResourceVersion + 1;
        state.State.Mapping = new DomainMapping
        {
            ApiVersion = DomainMapping.V1Beta1,
            Kind = "DomainMapping",
            Metadata = ResourceMeta.Stamp(meta with { Annotations = annotations }, existing?.Metadata, Namespace, specChanged, version, time.GetUtcNow()),
            Spec = spec,
        };
        state.State.ResourceVersion = version;
        await ReconcileAsync(forceWrite: true);
        return new ApplyResult<DomainMapping> { Outcome = existing is null ? ApplyOutcome.Created : ApplyOutcome.Updated, Value = View() };
    }

    /// <inheritdoc />
    public async Task<DomainMapping?> GetAsync()
    {
        if (state.State.Mapping is null)
        {
            return null;
        }

        await ReconcileAsync(forceWrite: false);
        return View();
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        if (state.State.Mapping is null)
        {
            return false;
        }

        await GrainFactory.GetGrain<IDomainClaimGrain>(Name).ReleaseAsync(Namespace);
        await state.ClearStateAsync();
        state.State = new DomainMappingState();
        DeactivateOnIdle();
        return true;
    }

    private async Task ReconcileAsync(bool forceWrite)
    {
        var mapping = state.State.Mapping!;
        var reference = mapping.Spec!.Ref!;
        var referenceError = DomainMappingStatusBuilder.UnsupportedReference(reference);
        if (referenceError is null && await GrainFactory.GetGrain<IServiceGrain>(Namespace + "/" + reference.Name).GetAsync() is null)
        {
            referenceError = $"services.serving.knative.dev \"{reference.Name}\" not found";
        }

        // The host points at the service even before the service exists: the gateway answers 404 until it does.
        var target = DomainMappingStatusBuilder.UnsupportedReference(reference) is null ? reference.Name : null;
        var claimed = await GrainFactory.GetGrain<IDomainClaimGrain>(Name).ClaimAsync(Namespace, target);
        var status = DomainMappingStatusBuilder.Build(mapping, new DomainMappingObservation(claimed, referenceError),
            state.State.Status?.Conditions, time.GetUtcNow());
        if (forceWrite || !SameConditions(state.State.Status, status))
        {
            state.State.Status = status;
            await state.WriteStateAsync();
        }
    }

    private static bool SameConditions(DomainMappingStatus? a, DomainMappingStatus b) =>
        a is not null && a.ObservedGeneration == b.ObservedGeneration
        && (a.Conditions ?? []).SequenceEqual(b.Conditions ?? []);

    private DomainMapping View() => state.State.Mapping! with { Status = state.State.Status };

    private static ApplyResult<DomainMapping> Refuse(ApplyOutcome outcome, string message) => new() { Outcome = outcome, Message = message };
}
