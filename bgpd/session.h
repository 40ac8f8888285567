#ifndef TB_SESSION_H
#define TB_SESSION_H
#endif
