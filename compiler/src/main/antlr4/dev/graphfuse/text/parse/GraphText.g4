// graphfuse's text format for models and graphs: deterministic to print, readable to diff, and
// parsed back into an identical IR. See docs/text-format.md.
grammar GraphText;

file      : modelHeader? graphDecl functionDecl* EOF ;

modelHeader : 'model' '{' headerEntry* '}' ;
headerKey : ID | 'doc' | 'preserved' ;
// opset versions take a sign: OperatorSetIdProto.version is any int64, the importer keeps it, and
// the writer prints it as it is
headerEntry
    : key=headerKey ':' literal                          # headerField
    | 'opset' domain=STRING ':' sign='-'? version=INT    # headerOpset
    | 'metadata' key2=STRING ':' val=STRING              # headerMetadata
    ;

graphDecl : 'graph' name '(' inputs=params? ')' '->' '(' outputs=params? ')' '{' statement* '}' ;
params    : param (',' param)* ;
param     : name (':' type)? ;

functionDecl
    : 'function' opRef '(' inputs=names? ')' '->' '(' outputs=names? ')' functionOption* '{' statement* '}' ;
functionOption
    : 'attributes' '[' names? ']'                        # functionAttributes
    | 'defaults' attrBlock                               # functionDefaults
    | 'opset' domain=STRING ':' sign='-'? version=INT    # functionOpset
    | 'doc' STRING                                       # functionDoc
    | 'metadata' metadataBlock                           # functionMetadata
    ;
names     : name (',' name)* ;

statement
    : 'doc' STRING                                                    # graphDoc
    | 'metadata' key=STRING ':' val=STRING                            # graphMetadata
    | 'init' name ':' type '=' tensorData annotation*                # initializer
    | 'sparse_init' name (':' type)? '=' STRING                       # sparseInitializer
    | 'value' name annotation+                                        # valueInfo
    | ('[' nodeName=name ']')? nodeOutputs '=' opRef '(' args? ')' attrBlock? nodeExtra*   # node
    | 'preserved' STRING                                              # graphPreserved
    ;

nodeOutputs : '(' ')' | outDecl (',' outDecl)* ;
outDecl   : name (':' type)? ;
args      : name (',' name)* ;
opRef     : (domain=name '::')? op=name (':' overload=name)? ;

nodeExtra
    : 'doc' STRING               # nodeDoc
    | 'metadata' metadataBlock   # nodeMetadata
    | 'preserved' STRING         # nodePreserved
    ;
// what may follow a value or a constant tensor
annotation
    : 'doc' STRING               # docAnnotation
    | 'metadata' metadataBlock   # metadataAnnotation
    ;

metadataBlock : '{' (metadataEntry (',' metadataEntry)*)? '}' ;
metadataEntry : key=STRING ':' val=STRING ;

attrBlock : '{' (attr (',' attr)*)? '}' ;
attr      : name ':' kind=attrKind '=' attrValue ;
attrKind  : ID | 'tensor' | 'graph' ;
attrValue
    : '@' name                                   # refValue
    | literal                                    # scalarValue
    | '[' (attrValue (',' attrValue)*)? ']'      # listValue
    | tensorLiteral                              # tensorValue
    | graphDecl                                  # graphValue
    | type                                       # typeValue
    ;
tensorLiteral : 'tensor' (name ':')? type '=' tensorData annotation* ;

tensorData
    : '[' (literal (',' literal)*)? ']'                                                  # listData
    | 'raw' STRING                                                                       # rawData
    | 'external' loc=STRING 'offset' off=INT 'length' len=INT ('checksum' sum=STRING)?
          ('extra' metadataBlock)?                                                       # externalData
    | '...'                                                                              # elidedData
    ;

type
    : elem=ID ('[' (dim (',' dim)*)? ']')?                  # tensorType
    | 'seq' '(' type ')'                                     # seqType
    | 'optional' '(' type ')'                                # optionalType
    | 'map' '(' key=ID ',' type ')'                          # mapType
    | 'sparse' '(' elem=ID ('[' (dim (',' dim)*)? ']')? ')'  # sparseType
    | 'opaque' '(' dom=STRING ',' nm=STRING ')'              # opaqueType
    ;
dim : sign='-'? INT | name | '?' ;

literal : sign='-'? (INT | FLOAT | ID) | STRING ;

name
    : ID | STRING
    | 'model' | 'opset' | 'metadata' | 'graph' | 'function' | 'attributes' | 'defaults' | 'doc'
    | 'init' | 'sparse_init' | 'value' | 'preserved' | 'tensor' | 'raw' | 'external' | 'offset'
    | 'length' | 'checksum' | 'extra' | 'seq' | 'optional' | 'map' | 'sparse' | 'opaque'
    ;

ID      : [A-Za-z_] [A-Za-z0-9_.]* ;
INT     : [0-9]+ ;
FLOAT   : [0-9]+ '.' [0-9]* EXP? | '.' [0-9]+ EXP? | [0-9]+ EXP ;
fragment EXP : [eE] [+-]? [0-9]+ ;
STRING  : '"' ( ~["\\\r\n] | '\\' . | '\\x' [0-9a-fA-F] [0-9a-fA-F] )* '"' ;
COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\r\n]+ -> channel(HIDDEN) ;
ERRCHAR : . ;
