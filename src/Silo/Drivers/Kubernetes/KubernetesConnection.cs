using k8s;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>Builds the API client configuration and the namespace from <see cref="KubernetesDriverOptions"/>.</summary>
public static class KubernetesConnection
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary><see cref="KubernetesDriverOptions.Host"/> as is, else in-cluster or kubeconfig per <see cref="KubernetesDriverOptions.Connection"/>.</summary>
    public static KubernetesClientConfiguration Build(KubernetesDriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Host is { Length: > 0 } host)
        {
            return new KubernetesClientConfiguration { Host = host };
        }

        var connection = options.Connection.ToLowerInvariant();
        return connection == "in-cluster" || (connection == "auto" && KubernetesClientConfiguration.IsInCluster())
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig, options.Context);
    }

    /// <summary><see cref="KubernetesDriverOptions.Namespace"/>, else <c>POD_NAMESPACE</c>, else the service account's, else <c>default</c>.</summary>
    public static string ResolveNamespace(KubernetesDriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Namespace is { Length: > 0 } ns)
        {
            return ns;
        }

        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } pod)
        {
            return pod;
        }

        return options.Host is null && File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";
    }
}
