using Knative.Orleans.Grains.Serving;
using Knative.Orleans.Silo.Drivers.Kubernetes;
using Knative.Orleans.Silo.Drivers.Local;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>
/// Which workload driver runs revisions (<c>Runtime:Kind</c>: <c>local</c>, the default, or <c>kubernetes</c>) and whether
/// the silo uses Orleans' Kubernetes hosting (<c>Cluster:Kubernetes</c>). Invalid values stop the platform at start (exit 2).
/// </summary>
public static class RuntimeSelection
{
    /// <summary>The local process driver (the default).</summary>
    public const string Local = "local";

    /// <summary>One Deployment per revision through the Kubernetes API.</summary>
    public const string Kubernetes = "kubernetes";

    /// <summary>The configured kind, lower-cased; <c>local</c> when unset.</summary>
    public static string Kind(IConfiguration configuration) => (configuration["Runtime:Kind"] ?? Local).Trim().ToLowerInvariant();

    /// <summary>
    /// <c>Cluster:Kubernetes</c>: <c>true</c>/<c>false</c>; unset = on when the pod's environment is there
    /// (<c>KUBERNETES_SERVICE_HOST</c>, <c>POD_NAME</c> and <c>POD_NAMESPACE</c>, as the manifests in deploy/kubernetes set them).
    /// </summary>
    public static bool? KubernetesHosting(IConfiguration configuration)
    {
        var value = configuration["Cluster:Kubernetes"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new[] { "KUBERNETES_SERVICE_HOST", "POD_NAME", "POD_NAMESPACE" }.All(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));
        }

        return bool.TryParse(value, out var on) ? on : null;
    }

    /// <summary>Registers the driver <c>Runtime:Kind</c> names, with its options bound from its section, and checks both keys at start.</summary>
    public static void AddWorkloadDriver(this IServiceCollection services, IConfiguration configuration, PlatformConfiguration config)
    {
        var kind = Kind(configuration);
        services.AddOptions<RuntimeCheck>().Configure(c => (c.Kind, c.Hosting) = (kind, configuration["Cluster:Kubernetes"]))
            .Validate(c => c.Kind is Local or Kubernetes, $"Runtime:Kind = {kind}, must be {Local} or {Kubernetes}")
            .Validate(_ => KubernetesHosting(configuration) is not null,
                $"Cluster:Kubernetes = {configuration["Cluster:Kubernetes"]}, must be true or false (or unset: detected)")
            .ValidateOnStart();
        if (kind == Kubernetes)
        {
            services.PostConfigure<ServingOptions>(o => o.LocalProcessRuntime = false);
            services.AddKubernetesDriver(o => configuration.GetSection(KubernetesDriverOptions.SectionName).Bind(o));
            return;
        }

        services.AddLocalProcessDriver(o =>
        {
            o.WorkingDirectory = Environment.CurrentDirectory;
            configuration.GetSection(LocalDriverOptions.SectionName).Bind(o);
            // Silos side by side on one machine may share Storage:Path: each keeps its own pid records (and reaps only its own
            // leftovers after a crash), keyed by its silo port.
            o.DataPath = config.Clustered ? Path.Combine(config.StoragePath, FormattableString.Invariant($"silo-{config.SiloPort}")) : config.StoragePath;
        });
    }

    /// <summary>The two keys, validated at start like every other option.</summary>
    public sealed class RuntimeCheck
    {
        /// <summary><c>Runtime:Kind</c>.</summary>
        public string Kind { get; set; } = Local;

        /// <summary><c>Cluster:Kubernetes</c> as written.</summary>
        public string? Hosting { get; set; }
    }
}
