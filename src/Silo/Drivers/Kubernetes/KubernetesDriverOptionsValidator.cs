using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>Checks <see cref="KubernetesDriverOptions"/> at startup; every message names the key, the value and the allowed range.</summary>
public sealed class KubernetesDriverOptionsValidator : IValidateOptions<KubernetesDriverOptions>
{
    /// <summary>Values <see cref="KubernetesDriverOptions.Connection"/> accepts.</summary>
    public static readonly string[] Connections = ["auto", "in-cluster", "kubeconfig"];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KubernetesDriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Connections.Contains(options.Connection, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Kubernetes:Connection = {options.Connection}, must be one of {string.Join(", ", Connections)}");
        }

        if (options.Host is { Length: > 0 } host && !(Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add($"Kubernetes:Host = {host}, must be an absolute http(s) URL");
        }

        if (options.Namespace is { Length: > 0 } ns && !Contracts.Serving.ServiceValidation.ValidateNamespace(ns).IsEmpty)
        {
            errors.Add($"Kubernetes:Namespace = {ns}, must be a DNS-1123 label");
        }

        Range(errors, "DefaultContainerPort", options.DefaultContainerPort, 1, 65535);
        Range(errors, "MaxAttempts", options.MaxAttempts, 1, 100);
        Range(errors, "RetryBaseDelay", options.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        Range(errors, "RetryMaxDelay", options.RetryMaxDelay, options.RetryBaseDelay, TimeSpan.FromMinutes(5));
        Range(errors, "AdoptionGracePeriod", options.AdoptionGracePeriod, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, "WatchRestartDelay", options.WatchRestartDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range<T>(List<string> errors, string key, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add($"Kubernetes:{key} = {value}, must be in [{min}; {max}]");
        }
    }
}
