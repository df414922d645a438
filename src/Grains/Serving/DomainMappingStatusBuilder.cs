using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>What a DomainMapping's reconcile observed.</summary>
/// <param name="Claimed">The host's claim is this namespace's.</param>
/// <param name="ReferenceError">Why <c>spec.ref</c> does not resolve, or null when it resolves to an existing Service.</param>
public sealed record DomainMappingObservation(bool Claimed, string? ReferenceError);

/// <summary>
/// A DomainMapping's status (pure): Knative's condition set (knative/serving pkg/apis/serving/v1beta1/
/// domainmapping_lifecycle.go), Ready = DomainClaimed ∧ ReferenceResolved ∧ CertificateProvisioned ∧ IngressReady.
/// </summary>
public static class DomainMappingStatusBuilder
{
    /// <summary>Condition types.</summary>
    public const string DomainClaimed = "DomainClaimed";

    /// <inheritdoc cref="DomainClaimed"/>
    public const string ReferenceResolved = "ReferenceResolved";

    /// <inheritdoc cref="DomainClaimed"/>
    public const string CertificateProvisioned = "CertificateProvisioned";

    /// <inheritdoc cref="DomainClaimed"/>
    public const string IngressReady = "IngressReady";

    /// <summary>Knative's <c>AutoTLSNotEnabledMessage</c>: certificates are not provisioned by this platform.</summary>
    public const string AutoTlsNotEnabledMessage = "autoTLS is not enabled";

    /// <summary>The status for <paramref name="mapping"/> given what was observed; lastTransitionTime kept from <paramref name="previous"/>.</summary>
    public static DomainMappingStatus Build(DomainMapping mapping, DomainMappingObservation observed, IReadOnlyList<Condition>? previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(observed);
        var conditions = observed.Claimed
            ? ConditionSet.Set(previous, DomainClaimed, ConditionStatus.True, null, null, now)
            : ConditionSet.Set(previous, DomainClaimed, ConditionStatus.False, "DomainAlreadyClaimed",
                "The domain name is already in use by another DomainMapping", now);
        conditions = observed.ReferenceError is { } error
            ? ConditionSet.Set(conditions, ReferenceResolved, ConditionStatus.False, "ResolveFailed", error, now)
            : ConditionSet.Set(conditions, ReferenceResolved, ConditionStatus.True, null, null, now);
        conditions = ConditionSet.Set(conditions, CertificateProvisioned, ConditionStatus.True, "TLSNotEnabled", AutoTlsNotEnabledMessage, now);

        // The gateway routes the host as soon as it is claimed and resolved; until then Knative has no ingress.
        conditions = observed.Claimed && observed.ReferenceError is null
            ? ConditionSet.Set(conditions, IngressReady, ConditionStatus.True, null, null, now)
            : ConditionSet.Set(conditions, IngressReady, ConditionStatus.Unknown, "IngressNotConfigured", "Ingress has not yet been reconciled.", now);

        // A False dependent makes Ready False (with its reason); otherwise an Unknown one makes it Unknown.
        var dependents = conditions.Where(c => c.Type != ServingConditions.Ready).ToList();
        var notReady = dependents.FirstOrDefault(c => c.Status == ConditionStatus.False)
            ?? dependents.FirstOrDefault(c => c.Status != ConditionStatus.True);
        conditions = notReady is null
            ? ConditionSet.Set(conditions, ServingConditions.Ready, ConditionStatus.True, null, null, now)
            : ConditionSet.Set(conditions, ServingConditions.Ready, notReady.Status, notReady.Reason, notReady.Message, now);
        var url = "http://" + mapping.Metadata!.Name;
        return new DomainMappingStatus
        {
            ObservedGeneration = mapping.Metadata.Generation,
            Conditions = conditions,
            Url = url,
            Address = new Addressable { Url = url },
        };
    }

    /// <summary>
    /// Why <paramref name="reference"/> does not name a Knative Service this platform can route to, or null when its
    /// kind is right (whether the service exists is checked by the caller).
    /// </summary>
    public static string? UnsupportedReference(KReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Kind == "Service" && reference.ApiVersion == "serving.knative.dev/v1"
            ? null
            : $"unsupported reference {reference.ApiVersion}/{reference.Kind} \"{reference.Name}\": a DomainMapping must refer to a Knative Service (apiVersion serving.knative.dev/v1, kind Service)";
    }
}
