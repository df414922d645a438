using System.Globalization;
using Knative.Orleans.Contracts.Errors;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>The port a revision serves on: the first declared port, name <c>http</c> and 8080 when not given.</summary>
internal readonly record struct ServingPort(string Name, int ContainerPort);

/// <summary>Probe checks of knative/serving <c>k8s_validation.go</c>; paths are relative to the probe.</summary>
internal static class ProbeValidation
{
    private const string PortMismatch = "Probe port must match container port";

    /// <summary>Any probe: exactly one handler; a probe port must be empty or the serving port.</summary>
    public static FieldErrors AnyProbe(Probe? probe, ServingPort port)
    {
        if (probe is null)
        {
            return FieldErrors.None;
        }

        var errors = FieldErrors.None;
        var handlers = new List<string>();
        if (probe.HttpGet is { } httpGet)
        {
            handlers.Add("httpGet");
            errors = errors.Also(PortMatches(httpGet.Port, port, "httpGet.port"));
        }

        if (probe.TcpSocket is { } tcpSocket)
        {
            handlers.Add("tcpSocket");
            errors = errors.Also(PortMatches(tcpSocket.Port, port, "tcpSocket.port"));
        }

        if (probe.Exec is not null)
        {
            handlers.Add("exec");
        }

        if (probe.Grpc is { } grpc)
        {
            handlers.Add("gRPC"); // sic: Knative names this handler "gRPC" in the "got both" message.
            errors = errors.Also(PortMatches(grpc.Port is { } p ? new IntOrString { IntValue = p } : null, port, "grpc.port"));
        }

        return handlers.Count switch
        {
            0 => errors.Also(FieldErrors.OneOfNeither("httpGet", "tcpSocket", "exec", "grpc")),
            > 1 => errors.Also(FieldErrors.OneOfBoth([.. handlers])),
            _ => errors,
        };
    }

    /// <summary>
    /// A readiness probe: <see cref="AnyProbe"/> plus bounds, and Knative's aggressive probing rule: with
    /// <c>periodSeconds</c> 0, <c>failureThreshold</c> and <c>timeoutSeconds</c> must stay unset. Nil counts as "not set";
    /// defaulting fills <c>successThreshold</c> (and, with a period, the other two) before Knative validates.
    /// </summary>
    public static FieldErrors Readiness(Probe? probe, ServingPort port)
    {
        if (probe is null)
        {
            return FieldErrors.None;
        }

        var errors = AnyProbe(probe, port)
            .Also(AtLeast(probe.PeriodSeconds, 0, "periodSeconds"))
            .Also(AtLeast(probe.InitialDelaySeconds, 0, "initialDelaySeconds"))
            .Also(AtLeast(probe.SuccessThreshold, 1, "successThreshold"));
        if (probe.PeriodSeconds is null or 0)
        {
            if (probe.FailureThreshold is { } and not 0)
            {
                errors = errors.Also(FieldErrors.Of("failureThreshold is disallowed when periodSeconds is zero", null, "failureThreshold"));
            }

            if (probe.TimeoutSeconds is { } and not 0)
            {
                errors = errors.Also(FieldErrors.Of("timeoutSeconds is disallowed when periodSeconds is zero", null, "timeoutSeconds"));
            }

            return errors;
        }

        return errors.Also(AtLeast(probe.TimeoutSeconds, 1, "timeoutSeconds")).Also(AtLeast(probe.FailureThreshold, 1, "failureThreshold"));
    }

    /// <summary>A sidecar (a container without ports next to the serving one) may not set any probe field.</summary>
    public static FieldErrors SidecarProbe(Probe? probe)
    {
        if (probe is null)
        {
            return FieldErrors.None;
        }

        var set = new (string Field, bool IsSet)[]
        {
            ("httpGet", probe.HttpGet is not null), ("tcpSocket", probe.TcpSocket is not null), ("exec", probe.Exec is not null),
            ("grpc", probe.Grpc is not null), ("initialDelaySeconds", probe.InitialDelaySeconds is not null and not 0),
            ("periodSeconds", probe.PeriodSeconds is not null and not 0), ("timeoutSeconds", probe.TimeoutSeconds is not null and not 0),
            ("successThreshold", probe.SuccessThreshold is not null and not 0), ("failureThreshold", probe.FailureThreshold is not null and not 0),
        }.Where(f => f.IsSet).Select(f => f.Field).ToArray();
        return set.Length == 0 ? FieldErrors.None : FieldErrors.Disallowed(set);
    }

    // Our rule (KNATIVE-NOTES 1.1): a numbered probe port must be 0 or the serving port, because the local runtime gives the
    // app a free port of its own and can only map the serving one. Upstream checks named ports only.
    private static FieldErrors PortMatches(IntOrString? probePort, ServingPort port, string path) => probePort switch
    {
        { IntValue: { } n } when n != 0 && n != port.ContainerPort =>
            FieldErrors.Invalid(n.ToString(CultureInfo.InvariantCulture), path, PortMismatch),
        { IntValue: null, StringValue: { Length: > 0 } s } when s != port.Name => FieldErrors.Invalid(s, path, PortMismatch),
        _ => FieldErrors.None,
    };

    private static FieldErrors AtLeast(int? value, int min, string path) =>
        value is { } v && v < min ? FieldErrors.OutOfBounds(v, min, int.MaxValue, path) : FieldErrors.None;
}
