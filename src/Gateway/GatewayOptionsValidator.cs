using Microsoft.Extensions.Options;

namespace Knative.Orleans.Gateway;

/// <summary>Checks <see cref="GatewayOptions"/> at startup; every message names the key, the value and what is allowed.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (!GatewayOptions.TryParseUrl(options.Url, out var host, out _) || host.Length == 0)
        {
            errors.Add($"Gateway:Url = '{options.Url}', must be an absolute http URL with an explicit port in [1; 65535], e.g. {GatewayOptions.DefaultUrl}");
        }

        if (string.IsNullOrWhiteSpace(options.Domain) || options.Domain.StartsWith('.') || options.Domain.EndsWith('.') || options.Domain.Contains('/'))
        {
            errors.Add($"Serving:Domain = '{options.Domain}', must be a DNS domain such as {GatewayOptions.DefaultDomain}");
        }

        if (!string.Equals(options.TagHeaderBasedRouting, "Enabled", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.TagHeaderBasedRouting, "Disabled", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Serving:TagHeaderBasedRouting = '{options.TagHeaderBasedRouting}', must be Enabled or Disabled");
        }

        if (!string.Equals(options.Forwarder, GatewayOptions.DirectForwarder, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.Forwarder, GatewayOptions.YarpForwarder, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Gateway:Forwarder = '{options.Forwarder}', must be {GatewayOptions.DirectForwarder} or {GatewayOptions.YarpForwarder}");
        }

        if (options.SubscriptionRenewalPeriod <= TimeSpan.Zero || options.SubscriptionRenewalPeriod > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Gateway:SubscriptionRenewalPeriod = {options.SubscriptionRenewalPeriod}, must be in (0; 5m]");
        }

        if (options.ResyncPeriod <= TimeSpan.Zero || options.ResyncPeriod > TimeSpan.FromHours(1))
        {
            errors.Add($"Gateway:ResyncPeriod = {options.ResyncPeriod}, must be in (0; 1h]");
        }

        if (options.SubscriptionRetryDelay <= TimeSpan.Zero || options.SubscriptionRetryDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Gateway:SubscriptionRetryDelay = {options.SubscriptionRetryDelay}, must be in (0; 1m]");
        }

        if (options.WaitForReadyInterval < TimeSpan.FromSeconds(1) || options.WaitForReadyInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Gateway:WaitForReadyInterval = {options.WaitForReadyInterval}, must be in [1s; 10m]");
        }

        if (options.MaxQueuedPerRevision is < 1 or > 1_000_000)
        {
            errors.Add($"Gateway:MaxQueuedPerRevision = {options.MaxQueuedPerRevision}, must be in [1; 1000000]");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
