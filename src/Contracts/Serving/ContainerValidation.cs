using System.Globalization;
using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>Container checks of knative/serving <c>k8s_validation.go</c>; paths are relative to the container.</summary>
internal static class ContainerValidation
{
    /// <summary>The environment variables Knative sets for the serving container (sidecars may set <c>PORT</c>).</summary>
    public static readonly IReadOnlySet<string> ReservedEnvVars = new HashSet<string>(StringComparer.Ordinal)
    {
        "PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION",
    };

    /// <summary>Ports of the queue-proxy and profiling that the app may not use.</summary>
    public static readonly IReadOnlySet<int> ReservedPorts = new HashSet<int> { 8012, 8013, 8022, 9090, 9091, 8008 };

    /// <summary>The queue-proxy's container name.</summary>
    public const string ReservedContainerName = "queue-proxy";

    private static readonly string[] ValidPortNames = ["", "h2c", "http1"];

    // knative/serving fieldmask.go: Kubernetes container fields outside ContainerMask / ContainerPortMask.
    private static readonly string[] DisallowedContainerFields = ["lifecycle", "stdin", "stdinOnce", "tty", "volumeDevices"];
    private static readonly string[] DisallowedPortFields = ["hostIP", "hostPort"];

    // apis.CheckDisallowedFields: a disallowed field counts only when set to a non-zero value.
    internal static FieldErrors DisallowedFields(Dictionary<string, System.Text.Json.JsonElement>? fields, string[] disallowed)
    {
        var set = disallowed.Where(f => fields is not null && fields.TryGetValue(f, out var v) && IsSet(v)).ToArray();
        return set.Length == 0 ? FieldErrors.None : FieldErrors.Disallowed(set);
    }

    private static bool IsSet(System.Text.Json.JsonElement value) => value.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.False or System.Text.Json.JsonValueKind.Undefined => false,
        System.Text.Json.JsonValueKind.Number => value.GetRawText() is not ("0" or "0.0"),
        System.Text.Json.JsonValueKind.String => value.GetString()!.Length > 0,
        System.Text.Json.JsonValueKind.Object => value.EnumerateObject().Any(),
        System.Text.Json.JsonValueKind.Array => value.GetArrayLength() > 0,
        _ => true,
    };

    /// <summary>The serving container: probes against <paramref name="port"/>, then the common checks.</summary>
    public static FieldErrors Serving(Container container, ServingPort port) =>
        ProbeValidation.AnyProbe(container.LivenessProbe, port).ViaField("livenessProbe")
            .Also(ProbeValidation.Readiness(container.ReadinessProbe, port).ViaField("readinessProbe"))
            .Also(Common(container, sidecar: false));

    /// <summary>A sidecar: no probes, <c>PORT</c> allowed, then the common checks.</summary>
    public static FieldErrors Sidecar(Container container) =>
        ProbeValidation.SidecarProbe(container.LivenessProbe).ViaField("livenessProbe")
            .Also(ProbeValidation.SidecarProbe(container.ReadinessProbe).ViaField("readinessProbe"))
            .Also(Common(container, sidecar: true));

    private static FieldErrors Common(Container container, bool sidecar)
    {
        if (container == new Container())
        {
            return FieldErrors.Missing("");
        }

        var errors = FieldErrors.None;
        if (container.Name == ReservedContainerName)
        {
            errors = errors.Also(FieldErrors.Of(NameRules.GoQuote(container.Name) + " is a reserved container name", null, "name"));
        }

        errors = errors.Also(Env(container.Env, sidecar).ViaField("env"));
        errors = errors.Also(DisallowedFields(container.OtherFields, DisallowedContainerFields));
        foreach (var port in container.Ports ?? [])
        {
            errors = errors.Also(DisallowedFields(port.OtherFields, DisallowedPortFields).ViaField("ports"));
        }

        if (string.IsNullOrEmpty(container.Image))
        {
            errors = errors.Also(FieldErrors.Missing("image"));
        }

        return errors.Also(Ports(container.Ports).ViaField("ports"));
    }

    private static FieldErrors Env(List<EnvVar>? env, bool sidecar)
    {
        var errors = FieldErrors.None;
        for (var i = 0; i < (env?.Count ?? 0); i++)
        {
            var name = env![i].Name;
            if (string.IsNullOrEmpty(name))
            {
                errors = errors.Also(FieldErrors.Missing("name").ViaIndex(i));
            }
            else if (ReservedEnvVars.Contains(name) && !(sidecar && name == "PORT"))
            {
                errors = errors.Also(FieldErrors.Of(NameRules.GoQuote(name) + " is a reserved environment variable", null, "name").ViaIndex(i));
            }
        }

        return errors;
    }

    // Only the first port counts: it is the serving port (more than one port is reported across all containers).
    private static FieldErrors Ports(List<ContainerPortSpec>? ports)
    {
        if (ports is not [var port, ..])
        {
            return FieldErrors.None;
        }

        var number = port.ContainerPort.ToString(CultureInfo.InvariantCulture);
        var errors = ReservedPorts.Contains(port.ContainerPort)
            ? FieldErrors.Invalid(number + " is a reserved port", "containerPort", number + " is a reserved port, please use a different value")
            : FieldErrors.None;
        if (port.ContainerPort is < 0 or > 65535)
        {
            errors = errors.Also(FieldErrors.OutOfBounds(port.ContainerPort, 0, 65535, "containerPort"));
        }

        if (!string.IsNullOrEmpty(port.Protocol) && port.Protocol != "TCP")
        {
            errors = errors.Also(FieldErrors.Invalid(port.Protocol, "protocol"));
        }

        return ValidPortNames.Contains(port.Name ?? "")
            ? errors
            : errors.Also(FieldErrors.Of($"Port name {port.Name} is not allowed", "Name must be empty, or one of: 'h2c', 'http1'", ""));
    }
}
