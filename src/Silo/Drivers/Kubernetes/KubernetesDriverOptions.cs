namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>
/// Options of the Kubernetes workload driver (<see cref="KubernetesDriver"/>), selected with <c>Runtime:Kind=kubernetes</c>
/// (configuration section <c>Kubernetes</c>). Defaults are the property initializers; <see cref="KubernetesDriverOptionsValidator"/>
/// checks them at startup.
/// </summary>
public sealed class KubernetesDriverOptions
{
    /// <summary>Configuration section bound to these options.</summary>
    public const string SectionName = "Kubernetes";

    /// <summary>
    /// The Kubernetes namespace of every revision Deployment (one namespace for all Knative namespaces; the Knative
    /// namespace is a label). Default null = the pod's own namespace in-cluster (<c>POD_NAMESPACE</c>, else the
    /// service-account namespace file), else <c>default</c>.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// How to reach the API server. <c>auto</c> (default): in-cluster configuration when <c>KUBERNETES_SERVICE_HOST</c> is
    /// set, else the kubeconfig file. <c>in-cluster</c>: the service account only. <c>kubeconfig</c>: <see cref="Kubeconfig"/>
    /// (or <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>).
    /// </summary>
    public string Connection { get; set; } = "auto";

    /// <summary>Path of the kubeconfig file when <see cref="Connection"/> uses one; null = <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context; null = the file's current context.</summary>
    public string? Context { get; set; }

    /// <summary>
    /// An API server URL used as is, without credentials (e.g. <c>http://127.0.0.1:8001</c> behind <c>kubectl proxy</c>, or a
    /// test server). When set it wins over <see cref="Connection"/>. Default null.
    /// </summary>
    public string? Host { get; set; }

    /// <summary>Container port (and <c>PORT</c>) when the revision declares none: Knative's 8080.</summary>
    public int DefaultContainerPort { get; set; } = 8080;

    /// <summary>First retry delay of a failed API call (429, 5xx, connection errors); doubles per attempt. Default 200 ms; allowed [1 ms; 10 s].</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay. Default 5 s; allowed [<see cref="RetryBaseDelay"/>; 5 min].</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts of one API call before it is reported as failed. Default 6; allowed [1; 100].</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>
    /// After a restart, adopted Deployments keep their replicas this long so that revision grains reactivating can take
    /// their running pods over; then those nobody claimed are scaled to zero. Default 2 min; allowed [0 s; 1 h].
    /// </summary>
    public TimeSpan AdoptionGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Delay before the pod watch is opened again after it ended or failed. Default 1 s; allowed [1 ms; 1 min].</summary>
    public TimeSpan WatchRestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>serviceAccountName</c> of workload pods; null = the namespace's default.</summary>
    public string? ServiceAccountName { get; set; }
}
