using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Knative's checks of a revision spec (knative/serving <c>RevisionSpec.Validate</c> and <c>ValidatePodSpec</c>), with its
/// messages. Paths are relative to the spec (<c>containers[0].image</c>); expects a defaulted spec, as Knative validates after
/// defaulting (see <see cref="ServiceDefaults.WithDefaults(RevisionSpec)"/>).
/// </summary>
public static class RevisionSpecValidation
{
    /// <summary><c>max-revision-timeout-seconds</c>: the largest request timeout, in seconds.</summary>
    public const long MaxRevisionTimeoutSeconds = 600;

    /// <summary><c>container-concurrency-max-limit</c>: the largest <c>containerConcurrency</c>.</summary>
    public const long ContainerConcurrencyMaxLimit = 1000;

    /// <summary>
    /// Containers (at least one, each with an image; reserved names, env vars and ports; one port across all containers; with
    /// several containers exactly the serving one declares it), probes, <c>serviceAccountName</c> (DNS-1123 subdomain),
    /// <c>timeoutSeconds</c> in [0, 600], <c>responseStartTimeoutSeconds</c> and <c>idleTimeoutSeconds</c> in
    /// [0, timeoutSeconds] (600 when no timeout is set), <c>containerConcurrency</c> in [0, 1000]. 0 means "default" for
    /// the timeouts and is always accepted.
    /// </summary>
    public static FieldErrors Validate(RevisionSpec? spec)
    {
        var containers = spec?.Containers ?? [];
        var errors = ContainersPorts(containers, out var port).ViaField("containers[*]");
        errors = errors.Also(containers.Count switch
        {
            0 => FieldErrors.Missing("containers"),
            1 => ContainerValidation.Serving(containers[0], port).ViaFieldIndex("containers", 0),
            _ => MultiContainer(containers, port),
        });

        if (spec?.ServiceAccountName is { Length: > 0 } account)
        {
            foreach (var message in NameRules.Dns1123Subdomain(account))
            {
                errors = errors.Also(FieldErrors.Invalid(account, "serviceAccountName", message));
            }
        }

        errors = errors.Also(VolumeValidation.Validate(spec));
        return errors.Also(Timeouts(spec)).Also(spec?.ContainerConcurrency is { } cc && cc is < 0 or > ContainerConcurrencyMaxLimit
            ? FieldErrors.OutOfBounds(cc, 0, ContainerConcurrencyMaxLimit, "containerConcurrency")
            : FieldErrors.None);
    }

    private static FieldErrors Timeouts(RevisionSpec? spec)
    {
        var errors = FieldErrors.None;
        var timeout = spec?.TimeoutSeconds ?? 0;
        if (timeout is not 0 and (< 0 or > MaxRevisionTimeoutSeconds))
        {
            errors = FieldErrors.OutOfBounds(timeout, 0, MaxRevisionTimeoutSeconds, "timeoutSeconds");
        }

        // The response-start and idle timers run inside the request timeout, so neither may exceed it.
        var max = timeout is > 0 and <= MaxRevisionTimeoutSeconds ? timeout : MaxRevisionTimeoutSeconds;
        foreach (var (value, path) in new[] { (spec?.ResponseStartTimeoutSeconds, "responseStartTimeoutSeconds"), (spec?.IdleTimeoutSeconds, "idleTimeoutSeconds") })
        {
            if (value is { } v and not 0 && (v < 0 || v > max))
            {
                errors = errors.Also(FieldErrors.OutOfBounds(v, 0, max, path));
            }
        }

        return errors;
    }

    // knative's validateContainersPorts: one port in total; several containers need one. Paths relative to containers[*].
    private static FieldErrors ContainersPorts(List<Container> containers, out ServingPort port)
    {
        var count = 0;
        ContainerPortSpec? first = null;
        foreach (var c in containers)
        {
            if (c.Ports is { Count: > 0 } ports)
            {
                count += ports.Count;
                first = ports[0];
            }
        }

        port = new ServingPort(
            string.IsNullOrEmpty(first?.Name) ? "http" : first.Name,
            first is null || first.ContainerPort == 0 ? 8080 : first.ContainerPort);
        if (count == 0 && containers.Count > 1)
        {
            return FieldErrors.Missing("ports");
        }

        return count > 1
            ? FieldErrors.Of("more than one container port is set", "Only a single port is allowed across all containers", "ports")
            : FieldErrors.None;
    }

    private static FieldErrors MultiContainer(List<Container> containers, ServingPort port)
    {
        var errors = FieldErrors.None;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            if (!string.IsNullOrEmpty(c.Name) && !names.Add(c.Name))
            {
                errors = errors.Also(FieldErrors.Of("duplicate container name " + NameRules.GoQuote(c.Name), null, "name")
                    .ViaFieldIndex("containers", i));
            }

            var container = c.Ports is { Count: > 0 } ? ContainerValidation.Serving(c, port) : ContainerValidation.Sidecar(c);
            errors = errors.Also(container.ViaFieldIndex("containers", i));
        }

        return errors;
    }
}
