namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary><c>NOT x</c> or <c>-x</c>.</summary>
public sealed record CesqlUnaryNode(CesqlUnaryOperator Operator, CesqlNode Operand, int Position) : CesqlNode(Position)
{
    public override string ToString() => Operator == CesqlUnaryOperator.Not ? $"(NOT {Operand})" : $"(-{Operand})";
}
