using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Traffic;

namespace Knative.Orleans.Grains.Serving;

/// <summary>The service's observed state, computed from its stored facts.</summary>
/// <param name="Status">Service status.</param>
/// <param name="RouteConditions">Route conditions.</param>
/// <param name="Targets">Routing targets in effect (the last good ones while the new traffic cannot resolve).</param>
/// <param name="PendingRevision">The revision to hold requests for while no target is routable.</param>
public sealed record ServiceObservation(ServiceStatus Status, List<Condition> RouteConditions, RouteTarget[] Targets, string? PendingRevision);

/// <summary>Computes Service, Configuration and Route status with Knative's conditions (pure).</summary>
public static class ServiceStatusBuilder
{
    /// <summary>Builds the observation for <paramref name="state"/>.</summary>
    public static ServiceObservation Build(ServiceState state, string domain, DateTimeOffset now)
    {
        var svc = state.Service!;
        var meta = svc.Metadata!;
        var name = meta.Name!;
        var ns = meta.Namespace!;
        var latestCreated = state.Revisions.LastOrDefault();
        var latestReady = state.Revisions.LastOrDefault(r => r.Ready == ConditionStatus.True);
        var conditions = state.Status?.Conditions;

        // ConfigurationsReady follows the latest created revision (Configuration Ready in Knative).
        conditions = latestCreated switch
        {
            null => ConditionSet.Set(conditions, ServingConditions.ConfigurationsReady, ConditionStatus.Unknown, null, null, now),
            { Ready: ConditionStatus.True } => ConditionSet.Set(conditions, ServingConditions.ConfigurationsReady, ConditionStatus.True, null, null, now),
            { Ready: ConditionStatus.False } r => ConditionSet.Set(conditions, ServingConditions.ConfigurationsReady, ConditionStatus.False,
                "RevisionFailed", $"Revision \"{r.Name}\" failed with message: {r.Message}.", now),
            _ => ConditionSet.Set(conditions, ServingConditions.ConfigurationsReady, ConditionStatus.Unknown, null, null, now),
        };

        var facts = state.Revisions.Select(r => new RevisionFact(r.Name, r.Ready)).ToList();
        var traffic = TrafficResolver.Resolve(name, ns, domain, name, svc.Spec!.Traffic ?? [], facts, latestReady?.Name, latestCreated?.Name);
        List<Condition> route;
        if (state.RevisionNameTaken is { } taken)
        {
            // Knative: the Configuration fails to create the revision (AlreadyExists) and the Service does not migrate
            // traffic: the last good split keeps serving and the Route is left as it was.
            conditions = ConditionSet.Set(conditions, ServingConditions.ConfigurationsReady, ConditionStatus.False, "RevisionFailed",
                ConfigurationStatusBuilder.CreationFailedMessage(taken), now);
            conditions = ConditionSet.Set(conditions, ServingConditions.RoutesReady, ConditionStatus.False, "RevisionNameTaken",
                $"The revision name \"{taken}\" is taken by a conflicting Revision, so traffic will not be migrated", now);
            conditions = SetReady(conditions, now, ServingConditions.RoutesReady, ServingConditions.ConfigurationsReady);
            traffic = new TrafficResolution { AllAssigned = false, Status = ConditionStatus.False };
            route = state.RouteConditions;
        }
        else
        {
            conditions = ConditionSet.Set(conditions, ServingConditions.RoutesReady, traffic.Status, traffic.Reason, traffic.Message, now);
            conditions = SetReady(conditions, now, ServingConditions.ConfigurationsReady, ServingConditions.RoutesReady);
            route = RouteConditions(state.RouteConditions, traffic, now);
        }

        if (state.NotOwned is { } kind)
        {
            // Knative's service reconciler stops at the first child it does not own (the Configuration first).
            var type = kind == "Route" ? ServingConditions.RoutesReady : ServingConditions.ConfigurationsReady;
            conditions = ConditionSet.Set(conditions, type, ConditionStatus.False, "NotOwned", $"There is an existing {kind} \"{name}\" that we do not own.", now);
            conditions = SetReady(conditions, now, type, ServingConditions.ConfigurationsReady, ServingConditions.RoutesReady);
        }

        var targets = traffic.Targets ?? state.LastGoodTargets;
        var status = new ServiceStatus
        {
            ObservedGeneration = meta.Generation,
            Conditions = conditions,
            Url = $"http://{name}.{ns}.{domain}",
            Address = new Addressable { Url = $"http://{name}.{ns}.svc.cluster.local" },
            Traffic = traffic.StatusTraffic ?? state.Status?.Traffic,
            LatestCreatedRevisionName = latestCreated?.Name,
            LatestReadyRevisionName = latestReady?.Name,
        };
        var routable = targets.Any(t => t.Percent > 0);
        return new ServiceObservation(status, route, targets, routable ? null : latestCreated?.Name);
    }

    /// <summary>
    /// A Route's conditions for a traffic resolution: AllTrafficAssigned from it, IngressReady True (the gateways follow the
    /// routing hub), CertificateProvisioned True with reason <c>TLSNotEnabled</c>, Ready = AND of the three.
    /// </summary>
    public static List<Condition> RouteConditions(List<Condition>? previous, TrafficResolution traffic, DateTimeOffset now)
    {
        var route = ConditionSet.Set(previous, ServingConditions.AllTrafficAssigned, traffic.Status, traffic.Reason, traffic.Message, now);
        route = ConditionSet.Set(route, ServingConditions.IngressReady, ConditionStatus.True, null, null, now);
        route = ConditionSet.Set(route, ServingConditions.CertificateProvisioned, ConditionStatus.True, "TLSNotEnabled",
            "autoTLS is not enabled", now);
        return SetReady(route, now, ServingConditions.AllTrafficAssigned, ServingConditions.IngressReady, ServingConditions.CertificateProvisioned);
    }

    /// <summary>Ready = AND of the dependents: False if any is False, else Unknown if any is Unknown, else True.</summary>
    internal static List<Condition> SetReady(List<Condition> conditions, DateTimeOffset now, params string[] dependents)
    {
        var deps = dependents
            .Select(d => ConditionSet.Get(conditions, d) ?? new Condition { Type = d, Status = ConditionStatus.Unknown })
            .ToList();
        var source = deps.FirstOrDefault(c => c.Status == ConditionStatus.False)
            ?? deps.FirstOrDefault(c => c.Status == ConditionStatus.Unknown);
        return source is null
            ? ConditionSet.Set(conditions, ServingConditions.Ready, ConditionStatus.True, null, null, now)
            : ConditionSet.Set(conditions, ServingConditions.Ready, source.Status, source.Reason, source.Message, now);
    }
}
