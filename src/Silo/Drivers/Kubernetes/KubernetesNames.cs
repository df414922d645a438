using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>Names and labels of the objects the Kubernetes driver owns (Knative's labels plus two of the platform's).</summary>
public static class KubernetesNames
{
    /// <summary>On every Deployment and pod the driver owns; its value is <see cref="ManagedByValue"/>. The driver lists and watches by it.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="ManagedBy"/>.</summary>
    public const string ManagedByValue = "knative-orleans";

    /// <summary>The Knative namespace of the revision (all Deployments live in one Kubernetes namespace).</summary>
    public const string KnativeNamespace = "knative-orleans.dev/namespace";

    /// <summary>Knative's <c>serving.knative.dev/revision</c>.</summary>
    public const string Revision = "serving.knative.dev/revision";

    /// <summary>Knative's <c>serving.knative.dev/revisionUID</c>.</summary>
    public const string RevisionUid = "serving.knative.dev/revisionUID";

    /// <summary>Annotation on the Deployment: hash of the pod template it was written with (drift check when adopting).</summary>
    public const string TemplateHash = "knative-orleans.dev/template-hash";

    /// <summary>Kubernetes' pod deletion cost: the ReplicaSet removes the pods with the lowest cost first on scale-down.</summary>
    public const string PodDeletionCost = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>Knative's name of the serving container.</summary>
    public const string UserContainer = "user-container";

    /// <summary>The label selector of everything the driver owns.</summary>
    public static string ManagedSelector => ManagedBy + "=" + ManagedByValue;

    /// <summary>Splits <c>{namespace}/{revision}</c>.</summary>
    public static (string Namespace, string Revision) Split(string revisionKey)
    {
        var slash = revisionKey.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("default", revisionKey) : (revisionKey[..slash], revisionKey[(slash + 1)..]);
    }

    /// <summary>
    /// The Deployment of a revision: <c>{namespace}-{revision}-deployment</c> (Knative names it <c>{revision}-deployment</c>;
    /// the Knative namespace is added because every revision shares one Kubernetes namespace).
    /// </summary>
    public static string Deployment(string revisionKey)
    {
        var (ns, revision) = Split(revisionKey);
        return $"{ns}-{revision}-deployment";
    }

    /// <summary>The revision key from an object's labels, or null when they are not the driver's.</summary>
    public static string? RevisionKeyOf(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(ManagedBy, out var by) && by == ManagedByValue
            && labels.TryGetValue(KnativeNamespace, out var ns) && labels.TryGetValue(Revision, out var rev)
            ? ns + "/" + rev
            : null;

    /// <summary>The selector of a revision's pods (immutable once the Deployment exists).</summary>
    public static Dictionary<string, string> Selector(string revisionKey)
    {
        var (ns, revision) = Split(revisionKey);
        return new() { [KnativeNamespace] = ns, [Revision] = revision };
    }

    /// <summary>Labels of a revision's Deployment and pods: Knative's service, configuration, revision, revisionUID and app.</summary>
    public static Dictionary<string, string> Labels(string revisionKey, IReadOnlyDictionary<string, string> env, string? revisionUid)
    {
        var (_, revision) = Split(revisionKey);
        var labels = Selector(revisionKey);
        labels[ManagedBy] = ManagedByValue;
        labels["app"] = revision;
        if (env.GetValueOrDefault("K_SERVICE") is { Length: > 0 } service)
        {
            labels[ServingLabels.Service] = service;
        }

        if (env.GetValueOrDefault("K_CONFIGURATION") is { Length: > 0 } configuration)
        {
            labels[ServingLabels.Configuration] = configuration;
        }

        if (revisionUid is { Length: > 0 })
        {
            labels[RevisionUid] = revisionUid;
        }

        return labels;
    }
}
